using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Introspection.Queries.IntrospectToken;
using AuthService.Application.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using static AuthService.Application.Tests.AccessTokensData;
using static AuthService.Application.Tests.TestClients;

namespace AuthService.Application.Tests.Introspection;

public class IntrospectTokenHandlerTests
{
    private const string PresentedToken = "eyJ.presented.token";

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeThrottle _throttle = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly FakeAccessTokenValidator _validator = new();
    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly InMemoryRefreshTokenFamilyRepository _families = new();
    private readonly InMemoryUserRepository _users = new();
    private readonly IntrospectTokenHandler _handler;

    public IntrospectTokenHandlerTests()
    {
        var authenticator = new ClientAuthenticator(_catalog, _throttle, new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(), new FakeTokenRateLimiter(), _clock, NullLogger<ClientAuthenticator>.Instance);
        _handler = new IntrospectTokenHandler(authenticator, _validator, _revocations, _families, new AccessTokenOwners(_catalog, _users), new FakeIssuerProvider(), _clock, new InMemoryProtectedResourceRepository());
        _catalog.Add(RegisterService("svc")).Add(RegisterService("rs")).Add(RegisterBrowser("spa"));
    }

    private Task<ProtocolResult<IntrospectionResponse>> Introspect(string clientId = "svc", string? secret = ServiceSecret, PresentedAuthMethod method = PresentedAuthMethod.ClientSecretBasic) =>
        _handler.Handle(new IntrospectToken(new ClientCredentials(clientId, secret, method), PresentedToken, "198.51.100.1"), CancellationToken.None);

    private static void AssertInactive(ProtocolResult<IntrospectionResponse> result)
    {
        Assert.True(result.IsSuccess);
        Assert.Equal(IntrospectionResponse.Inactive, result.Value);
        Assert.Equal(new IntrospectionResponse(false, null, null, null, null, null, null, null, null, null, null), result.Value);
    }

    [Fact]
    public async Task Failed_client_authentication_is_invalid_client_and_the_token_is_never_validated()
    {
        _validator.Result = Token("svc");

        var result = await Introspect(secret: "wrong-secret-0123456789");

        Assert.False(result.IsSuccess);
        Assert.Equal("invalid_client", result.Error.Code);
        Assert.Empty(_validator.Validated);
        Assert.Equal([("svc", (string?)"198.51.100.1")], _throttle.Failures);
    }

    [Fact]
    public async Task Public_client_that_authenticates_is_invalid_client_and_the_token_is_never_validated()
    {
        _validator.Result = Token("spa");

        var result = await Introspect("spa", secret: null, PresentedAuthMethod.None);

        Assert.False(result.IsSuccess);
        Assert.Equal("invalid_client", result.Error.Code);
        Assert.Empty(_validator.Validated);
    }

    [Fact]
    public async Task Invalid_token_is_exactly_inactive()
    {
        _validator.Result = null;

        var result = await Introspect();

        AssertInactive(result);
        Assert.Equal([PresentedToken], _validator.Validated);
    }

    [Fact]
    public async Task Valid_token_issued_to_the_caller_is_active_with_every_member_mapped()
    {
        _validator.Result = Token("svc", "jti-42", ["https://api.example", "rs"]);

        var result = await Introspect("svc");

        Assert.True(result.IsSuccess);
        var response = result.Value;
        Assert.True(response.Active);
        Assert.Equal("api.read api.write", response.Scope);
        Assert.Equal("svc", response.ClientId);
        Assert.Equal("Bearer", response.TokenType);
        Assert.Equal(1772366400 + 900, response.Exp);
        Assert.Equal(1772366400, response.Iat);
        Assert.Equal(1772366400 + 5, response.Nbf);
        Assert.Equal("svc", response.Sub);
        Assert.Equal(["https://api.example", "rs"], response.Aud);
        Assert.Equal("https://auth.example", response.Iss);
        Assert.Equal("jti-42", response.Jti);
        Assert.Equal([PresentedToken], _validator.Validated);
    }

    [Fact]
    public async Task Valid_token_without_not_before_is_active_without_nbf()
    {
        _validator.Result = Token("svc") with { NotBefore = null };

        var result = await Introspect("svc");

        Assert.True(result.Value?.Active);
        Assert.Null(result.Value?.Nbf);
        Assert.Equal(1772366400, result.Value?.Iat);
    }

    [Fact]
    public async Task Token_of_another_client_addressed_to_the_caller_is_active()
    {
        _validator.Result = Token("svc", audiences: ["https://api.example", "rs"]);

        var result = await Introspect("rs");

        Assert.True(result.IsSuccess);
        Assert.True(result.Value.Active);
        Assert.Equal("svc", result.Value.ClientId);
        Assert.Equal("jti-1", result.Value.Jti);
    }

    [Fact]
    public async Task Token_of_another_client_not_addressed_to_the_caller_is_inactive()
    {
        _validator.Result = Token("svc", audiences: ["https://api.example"]);

        AssertInactive(await Introspect("rs"));
    }

    [Fact]
    public async Task Audience_matching_is_case_sensitive()
    {
        _validator.Result = Token("svc", audiences: ["RS"]);

        AssertInactive(await Introspect("rs"));
    }

    [Fact]
    public async Task Revoked_token_issued_to_the_caller_is_inactive()
    {
        _validator.Result = Token("svc", "jti-revoked");
        _revocations.Stored.Add("jti-revoked");

        AssertInactive(await Introspect("svc"));
    }

    [Fact]
    public async Task Revoked_token_addressed_to_the_caller_is_inactive()
    {
        _validator.Result = Token("svc", "jti-revoked", ["rs"]);
        _revocations.Stored.Add("jti-revoked");

        AssertInactive(await Introspect("rs"));
    }

    [Fact]
    public async Task Revocation_of_another_token_leaves_this_one_active()
    {
        _validator.Result = Token("svc", "jti-1");
        _revocations.Stored.Add("jti-2");

        Assert.True((await Introspect("svc")).Value?.Active);
    }

    [Fact]
    public async Task A_token_of_a_disabled_or_unknown_client_is_exactly_inactive_even_to_its_audience()
    {
        _validator.Result = Token("gone") with { Audiences = ["rs"] };
        AssertInactive(await Introspect("rs"));

        var disabled = RegisterService("off");
        disabled.Disable(TestClock.Start);
        _catalog.Add(disabled);
        _validator.Result = Token("off") with { Audiences = ["rs"] };
        AssertInactive(await Introspect("rs"));
    }

    [Fact]
    public async Task A_users_token_is_inactive_once_the_user_is_disabled_or_gone()
    {
        var user = SignInData.RegisterUser();
        _users.Add(user);
        _validator.Result = Token("svc") with { Subject = user.Id.ToString() };
        Assert.True((await Introspect()).Value!.Active);

        user.Disable("new-stamp", TestClock.Start);
        AssertInactive(await Introspect());

        _validator.Result = Token("svc") with { Subject = Guid.NewGuid().ToString() };
        AssertInactive(await Introspect());
    }

    [Fact]
    public async Task A_token_issued_before_its_client_was_registered_is_inactive()
    {
        // A deleted client's tokens must not come back to life when the same id is registered again.
        _validator.Result = Token("svc") with { IssuedAt = RegisteredAt.AddSeconds(-5) };
        AssertInactive(await Introspect());

        _validator.Result = Token("svc") with { IssuedAt = RegisteredAt.AddSeconds(-0.5) };
        Assert.True((await Introspect()).Value!.Active); // iat is whole seconds: the same second counts as after
    }
}
