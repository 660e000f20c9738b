using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.UserInfo.Queries.GetUserInfo;
using AuthService.Domain.Users;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.UserInfo;

public class GetUserInfoHandlerTests
{
    private const string Bearer = "eyJ.bearer.token";

    private readonly FakeAccessTokenValidator _validator = new();
    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryClientCatalog _catalog = new();
    private readonly GetUserInfoHandler _handler;
    private readonly User _user;

    private readonly FakeDPoPProofValidator _proofs = new();

    public GetUserInfoHandlerTests()
    {
        _user = RegisterUser();
        _users.Add(_user);
        _catalog.Add(RegisterWeb());
        _handler = new GetUserInfoHandler(_validator, _revocations, _users, _catalog, new AuthService.Application.Tokens.Common.TenantClaimsReader(new InMemoryTenantMembershipRepository()), new FakeIssuerProvider(), _proofs);
    }

    private ValidatedAccessToken TokenFor(string? subject = null, string? scope = "openid profile email", IReadOnlyList<string>? audiences = null) => new(
        JwtId: "jti-ui",
        ClientId: ClientId,
        Subject: subject ?? _user.Id.ToString(),
        Audiences: audiences ?? [FakeIssuerProvider.DefaultIssuer],
        Scope: scope,
        Issuer: FakeIssuerProvider.DefaultIssuer,
        IssuedAt: TestClock.Start,
        NotBefore: null,
        ExpiresAt: TestClock.Start.AddMinutes(10));

    private Task<ProtocolResult<UserInfoResponse>> Get(string? token = Bearer) =>
        _handler.Handle(new GetUserInfo(token), CancellationToken.None);

    private static void AssertError(ProtocolResult<UserInfoResponse> result, string code)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Error.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Missing_token_is_invalid_token_without_validation(string? token)
    {
        _validator.Result = TokenFor();

        AssertError(await Get(token), "invalid_token");
        Assert.Empty(_validator.Validated);
    }

    [Fact]
    public async Task Invalid_token_is_invalid_token()
    {
        _validator.Result = null;

        AssertError(await Get(), "invalid_token");
        Assert.Equal([Bearer], _validator.Validated);
    }

    [Fact]
    public async Task Token_for_another_audience_is_invalid_token()
    {
        _validator.Result = TokenFor(audiences: ["https://api.example"]);

        AssertError(await Get(), "invalid_token");
    }

    [Fact]
    public async Task Token_with_the_issuer_among_its_audiences_is_accepted()
    {
        _validator.Result = TokenFor(audiences: ["https://api.example", FakeIssuerProvider.DefaultIssuer]);

        Assert.True((await Get()).IsSuccess);
    }

    [Theory]
    [InlineData("web")]
    [InlineData("alice")]
    [InlineData("")]
    public async Task Token_whose_subject_is_not_a_user_id_is_invalid_token(string subject)
    {
        _validator.Result = TokenFor(subject: subject);

        AssertError(await Get(), "invalid_token");
    }

    [Fact]
    public async Task Revoked_token_is_invalid_token()
    {
        _validator.Result = TokenFor();
        _revocations.Stored.Add("jti-ui");

        AssertError(await Get(), "invalid_token");
    }

    [Theory]
    [InlineData("profile email")]
    [InlineData(null)]
    [InlineData("OPENID")]
    public async Task Token_without_openid_is_insufficient_scope(string? scope)
    {
        _validator.Result = TokenFor(scope: scope);

        var result = await Get();

        AssertError(result, "insufficient_scope");
        Assert.Same(OAuthError.OpenIdScopeMissing, result.Error);
    }

    [Fact]
    public async Task Unknown_user_is_invalid_token()
    {
        _validator.Result = TokenFor(subject: Guid.NewGuid().ToString());

        AssertError(await Get(), "invalid_token");
    }

    [Fact]
    public async Task Disabled_user_is_invalid_token()
    {
        _validator.Result = TokenFor();
        _user.Disable("stamp-2", TestClock.Start);

        var result = await Get();

        AssertError(result, "invalid_token");
        Assert.Same(OAuthError.InvalidAccessToken, result.Error);
    }

    [Fact]
    public async Task Openid_alone_gives_only_the_subject()
    {
        _validator.Result = TokenFor(scope: "openid");

        var result = await Get();

        Assert.True(result.IsSuccess);
        Assert.Equal(new UserInfoResponse(_user.Id.ToString()), result.Value);
    }

    [Fact]
    public async Task Profile_scope_adds_name_and_preferred_username()
    {
        _validator.Result = TokenFor(scope: "openid profile");

        var result = await Get();

        Assert.Equal(new UserInfoResponse(_user.Id.ToString(), Name: "Alice Liddell", PreferredUsername: "alice"), result.Value);
    }

    [Fact]
    public async Task Email_scope_adds_email_and_its_verification()
    {
        _validator.Result = TokenFor(scope: "openid email");

        var result = await Get();

        Assert.Equal(new UserInfoResponse(_user.Id.ToString(), Email: "alice@example.com", EmailVerified: true), result.Value);
    }

    [Fact]
    public async Task Every_scope_gives_every_claim()
    {
        _validator.Result = TokenFor(scope: "api.read email openid profile");

        var result = await Get();

        Assert.Equal(new UserInfoResponse(_user.Id.ToString(), "Alice Liddell", "alice", "alice@example.com", true), result.Value);
    }

    [Fact]
    public async Task Email_scope_for_a_user_without_email_gives_no_email_claims()
    {
        var bob = RegisterUser("bob", email: null, name: null);
        _users.Add(bob);
        _validator.Result = TokenFor(subject: bob.Id.ToString(), scope: "openid email profile");

        var result = await Get();

        Assert.Equal(new UserInfoResponse(bob.Id.ToString(), Name: null, PreferredUsername: "bob"), result.Value);
    }

    [Fact]
    public void ToString_never_contains_the_token()
    {
        Assert.DoesNotContain(Bearer, new GetUserInfo(Bearer).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_of_a_disabled_or_unknown_client_is_invalid_token()
    {
        _validator.Result = TokenFor() with { ClientId = "gone" };
        AssertError(await Get(), "invalid_token");

        var disabled = RegisterWeb("off");
        disabled.Disable(TestClock.Start);
        _catalog.Add(disabled);
        _validator.Result = TokenFor() with { ClientId = "off" };
        AssertError(await Get(), "invalid_token");
    }

    // ---- DPoP (RFC 9449 §7.1) ----

    private const string Jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    private const string UserInfoUrl = "https://issuer.test/connect/userinfo";

    private Task<ProtocolResult<UserInfoResponse>> GetWithProof(AuthService.Application.Common.DPoP.DPoPPresentation proof) =>
        _handler.Handle(new GetUserInfo(Bearer) { DPoP = proof }, CancellationToken.None);

    [Fact]
    public async Task A_dpop_bound_token_with_a_proof_by_its_key_answers_and_the_proof_covers_the_token()
    {
        _validator.Result = TokenFor() with { Confirmation = new(Jkt: Jkt) };

        var result = await GetWithProof(FakeDPoPProofValidator.ProofBy(Jkt, "GET", UserInfoUrl));

        Assert.True(result.IsSuccess);
        var (_, accessToken, requireNonce) = Assert.Single(_proofs.Calls);
        Assert.Equal(Bearer, accessToken);
        Assert.False(requireNonce);
    }

    [Fact]
    public async Task A_dpop_bound_token_presented_as_bearer_is_invalid_token()
    {
        _validator.Result = TokenFor() with { Confirmation = new(Jkt: Jkt) };

        AssertError(await Get(), "invalid_token");
    }

    [Fact]
    public async Task A_dpop_bound_token_with_a_proof_by_another_key_is_invalid_dpop_proof()
    {
        _validator.Result = TokenFor() with { Confirmation = new(Jkt: Jkt) };

        AssertError(await GetWithProof(FakeDPoPProofValidator.ProofBy("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", "GET", UserInfoUrl)), "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_dpop_bound_token_with_an_invalid_proof_is_invalid_dpop_proof()
    {
        _validator.Result = TokenFor() with { Confirmation = new(Jkt: Jkt) };

        AssertError(await GetWithProof(new([], "GET", UserInfoUrl)), "invalid_dpop_proof");
    }

    [Fact]
    public async Task A_bearer_token_presented_with_the_dpop_scheme_is_invalid_token()
    {
        _validator.Result = TokenFor();

        AssertError(await GetWithProof(FakeDPoPProofValidator.ProofBy(Jkt, "GET", UserInfoUrl)), "invalid_token");
        Assert.Empty(_proofs.Calls);
    }
}
