using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Commands.IssueClientCredentialsToken;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Clients;
using Microsoft.Extensions.Logging.Abstractions;
using static AuthService.Application.Tests.TestClients;

namespace AuthService.Application.Tests.Tokens;

public class IssueClientCredentialsTokenHandlerTests
{
    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeThrottle _throttle = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly FakeAccessTokenIssuer _issuer = new();
    private readonly FakeDPoPProofValidator _proofs = new();
    private readonly IssueClientCredentialsTokenHandler _handler;

    public IssueClientCredentialsTokenHandlerTests()
    {
        var authenticator = new ClientAuthenticator(_catalog, _throttle, new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(), new FakeTokenRateLimiter(), _clock, NullLogger<ClientAuthenticator>.Instance);
        _handler = new IssueClientCredentialsTokenHandler(authenticator, FakeDPoPProofValidator.SenderConstraint(_proofs), _issuer, new FakeIssuerProvider(), _clock, InMemoryProtectedResourceRepository.NoResources());
    }

    private Task<ProtocolResult<TokenResponse>> Request(string? scope, string clientId = "svc", string secret = ServiceSecret) =>
        _handler.Handle(
            new IssueClientCredentialsToken(new ClientCredentials(clientId, secret, PresentedAuthMethod.ClientSecretBasic), scope, "198.51.100.1"),
            CancellationToken.None);

    private void AssertError(string code, ProtocolResult<TokenResponse> result)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Error.Code);
        Assert.Empty(_issuer.Issued);
    }

    [Fact]
    public async Task Token_request_with_allowed_scopes_returns_a_bearer_token_for_the_client_lifetime()
    {
        _catalog.Add(RegisterService("svc"));
        _clock.Advance(TimeSpan.FromMinutes(3));

        var result = await Request("api.read");

        Assert.True(result.IsSuccess);
        Assert.Equal("token-1", result.Value.AccessToken);
        Assert.Equal("Bearer", result.Value.TokenType);
        Assert.Equal(900, result.Value.ExpiresIn);
        Assert.Equal("api.read", result.Value.Scope);
        var descriptor = Assert.Single(_issuer.Issued);
        Assert.Equal("svc", descriptor.Subject);
        Assert.Equal("svc", descriptor.ClientId);
        Assert.Equal(TestClock.Start.AddMinutes(3), descriptor.IssuedAt);
        Assert.Equal(TimeSpan.FromMinutes(15), descriptor.Lifetime);
    }

    [Fact]
    public async Task Token_audience_is_the_issuer_when_the_client_has_none()
    {
        _catalog.Add(RegisterService("svc"));

        await Request(null);

        Assert.Equal("https://auth.example", Assert.Single(_issuer.Issued).Audience);
    }

    [Fact]
    public async Task Token_audience_is_the_client_audience_when_registered()
    {
        _catalog.Add(RegisterService("svc", Service() with { Audience = "https://api.example" }));

        await Request(null);

        Assert.Equal("https://api.example", Assert.Single(_issuer.Issued).Audience);
    }

    [Fact]
    public async Task Requested_scopes_are_granted_in_request_order_without_duplicates()
    {
        _catalog.Add(RegisterService("svc"));

        var result = await Request("api.write api.read  api.write");

        Assert.Equal(["api.write", "api.read"], Assert.Single(_issuer.Issued).Scopes);
        Assert.Equal("api.write api.read", result.Value?.Scope);
    }

    [Fact]
    public async Task No_scope_requested_grants_the_allowed_scopes_minus_identity_scopes_in_registration_order()
    {
        _catalog.Add(RegisterService("svc", Service() with
        {
            AllowedScopes = ["openid", "orders.write", "profile", "api.read", "email", "offline_access"],
        }));

        var result = await Request(null);

        Assert.Equal(["orders.write", "api.read"], Assert.Single(_issuer.Issued).Scopes);
        Assert.Equal("orders.write api.read", result.Value?.Scope);
    }

    [Fact]
    public async Task No_scope_requested_and_only_identity_scopes_allowed_gives_no_scope_in_the_response()
    {
        _catalog.Add(RegisterService("svc", Service() with { AllowedScopes = ["openid", "profile"] }));

        var result = await Request(null);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value.Scope);
        Assert.Empty(Assert.Single(_issuer.Issued).Scopes);
    }

    [Fact]
    public async Task Requested_scope_not_allowed_for_the_client_is_invalid_scope()
    {
        _catalog.Add(RegisterService("svc"));

        AssertError("invalid_scope", await Request("api.read api.admin"));
    }

    [Theory]
    [InlineData("openid")]
    [InlineData("api.read profile")]
    [InlineData("offline_access")]
    public async Task Identity_scope_is_invalid_scope_even_when_allowed(string scope)
    {
        _catalog.Add(RegisterService("svc", Service() with { AllowedScopes = ["api.read", "openid", "profile", "offline_access"] }));

        AssertError("invalid_scope", await Request(scope));
    }

    [Theory]
    [InlineData("api.read \"api.write\"")]
    [InlineData("api\\read")]
    [InlineData("api.read\u0000")]
    public async Task Malformed_scope_is_invalid_scope(string scope)
    {
        _catalog.Add(RegisterService("svc"));

        AssertError("invalid_scope", await Request(scope));
    }

    [Fact]
    public async Task More_than_100_scopes_is_invalid_scope()
    {
        _catalog.Add(RegisterService("svc"));

        AssertError("invalid_scope", await Request(string.Join(' ', Enumerable.Repeat("api.read", 101))));
    }

    [Fact]
    public async Task Scope_parameter_over_4096_characters_is_invalid_scope()
    {
        _catalog.Add(RegisterService("svc"));

        AssertError("invalid_scope", await Request("api.read" + new string(' ', 4090)));
    }

    [Fact]
    public async Task Confidential_client_without_the_client_credentials_grant_is_unauthorized_client()
    {
        _catalog.Add(RegisterService("web", Service() with { GrantTypes = ["authorization_code"], RedirectUris = ["https://c1.example/cb"] }));

        AssertError("unauthorized_client", await Request("api.read", "web"));
    }

    [Fact]
    public async Task Public_client_is_unauthorized_client()
    {
        _catalog.Add(RegisterBrowser("spa"));

        var result = await _handler.Handle(
            new IssueClientCredentialsToken(new ClientCredentials("spa", null, PresentedAuthMethod.None), null, null), CancellationToken.None);

        AssertError("unauthorized_client", result);
    }

    [Fact]
    public async Task Failed_client_authentication_is_invalid_client_and_issues_nothing()
    {
        _catalog.Add(RegisterService("svc"));

        AssertError("invalid_client", await Request("api.read", secret: "wrong-secret-0123456789"));
        Assert.Single(_throttle.Failures);
    }

    [Fact]
    public async Task Throttled_client_is_invalid_client_with_retry_after_and_issues_nothing()
    {
        _catalog.Add(RegisterService("svc"));
        _throttle.Wait = TimeSpan.FromSeconds(5);

        var result = await Request("api.read");

        AssertError("invalid_client", result);
        Assert.Equal(TimeSpan.FromSeconds(5), result.Error?.RetryAfter);
    }

    // ---- DPoP (RFC 9449 §5) ----

    private const string Jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    private Task<ProtocolResult<TokenResponse>> RequestWithProof(AuthService.Application.Common.DPoP.DPoPPresentation? proof) =>
        _handler.Handle(
            new IssueClientCredentialsToken(new ClientCredentials("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic), null, "198.51.100.1", proof),
            CancellationToken.None);

    [Fact]
    public async Task A_valid_proof_binds_the_token_to_its_key_and_the_type_is_DPoP()
    {
        _catalog.Add(RegisterService("svc"));

        var result = await RequestWithProof(FakeDPoPProofValidator.ProofBy(Jkt));

        Assert.True(result.IsSuccess);
        Assert.Equal("DPoP", result.Value.TokenType);
        Assert.Equal(Jkt, Assert.Single(_issuer.Issued).Confirmation?.Jkt);
        var (_, accessToken, requireNonce) = Assert.Single(_proofs.Calls);
        Assert.Null(accessToken);
        Assert.False(requireNonce);
    }

    [Fact]
    public async Task Without_a_proof_the_token_is_a_bearer_token_without_cnf()
    {
        _catalog.Add(RegisterService("svc"));

        var result = await RequestWithProof(new([], "POST", "https://issuer.test/connect/token"));

        Assert.True(result.IsSuccess);
        Assert.Equal("Bearer", result.Value.TokenType);
        Assert.Null(Assert.Single(_issuer.Issued).Confirmation);
        Assert.Empty(_proofs.Calls);
    }

    [Fact]
    public async Task An_invalid_proof_is_invalid_dpop_proof_and_issues_nothing()
    {
        _catalog.Add(RegisterService("svc"));

        AssertError("invalid_dpop_proof", await RequestWithProof(new(["not-a-proof"], "POST", "https://issuer.test/connect/token")));
    }

    [Fact]
    public async Task A_client_registered_with_dpop_bound_access_tokens_needs_a_proof()
    {
        _catalog.Add(RegisterService("svc", Service() with { DPoPBoundAccessTokens = true }));

        AssertError("invalid_dpop_proof", await RequestWithProof(null));
        Assert.True((await RequestWithProof(FakeDPoPProofValidator.ProofBy(Jkt))).IsSuccess);
    }

    [Fact]
    public async Task A_proof_is_not_looked_at_before_the_client_authenticates()
    {
        _catalog.Add(RegisterService("svc"));

        var result = await _handler.Handle(
            new IssueClientCredentialsToken(new ClientCredentials("svc", "wrong-secret-0123456789", PresentedAuthMethod.ClientSecretBasic), null, null,
                FakeDPoPProofValidator.ProofBy(Jkt)),
            CancellationToken.None);

        AssertError("invalid_client", result);
        Assert.Empty(_proofs.Calls);
    }
}
