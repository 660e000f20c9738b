using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.SignIn;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Commands.RedeemAuthorizationCode;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Tokens;

public class RedeemAuthorizationCodeHandlerTests
{
    private static readonly string[] GrantedScopes = ["openid", "offline_access", "api.read"];

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeThrottle _clientThrottle = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryAuthorizationCodeRepository _codes;
    private readonly InMemoryRefreshTokenFamilyRepository _families = new();
    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly FakeAccessTokenIssuer _accessTokens = new();
    private readonly FakeIdTokenIssuer _idTokens = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly CapturingLogger<RedeemAuthorizationCodeHandler> _logger = new(LogLevel.Information);
    private readonly RedeemAuthorizationCodeHandler _handler;
    private readonly User _user;
    private readonly Guid _sessionId = Guid.NewGuid();
    private readonly DateTimeOffset _authTime;

    public RedeemAuthorizationCodeHandlerTests()
    {
        _catalog
            .Add(RegisterWeb())
            .Add(RegisterWeb("code-only", WebSettings(grantTypes: [GrantTypes.AuthorizationCode])))
            .Add(RegisterWeb("conf", WebSettings(authMethod: TokenEndpointAuthMethods.ClientSecretBasic)))
            .Add(TestClients.RegisterService("svc"));
        _codes = new InMemoryAuthorizationCodeRepository(_users);
        _user = RegisterUser();
        _users.Add(_user);
        _authTime = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(5));
        var options = Options.Create(new SignInOptions());
        _handler = new RedeemAuthorizationCodeHandler(
            new ClientAuthenticator(_catalog, _clientThrottle, new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(), new FakeTokenRateLimiter(), _clock, NullLogger<ClientAuthenticator>.Instance),
            FakeDPoPProofValidator.SenderConstraint(),
            _codes,
            _families,
            new UserTokens(_accessTokens, _idTokens, new FakeIssuerProvider(), options, InMemoryProtectedResourceRepository.NoResources()),
            new TenantClaimsReader(new InMemoryTenantMembershipRepository()),
            new GrantRevocation(_families, _revocations, _unitOfWork, _clock),
            _unitOfWork,
            _clock,
            _logger);
    }

    /// <summary>Issues a code now, as the authorization endpoint would, and returns its value.</summary>
    private string IssueCode(string clientId = ClientId, IReadOnlyList<string>? scopes = null, bool redirectUriWasSent = true, string? nonce = Nonce)
    {
        var code = OpaqueToken.New();
        _codes.Add(NewCode(code, clientId, scopes, redirectUriWasSent, nonce));
        return code;
    }

    private AuthorizationCode NewCode(string code, string clientId = ClientId, IReadOnlyList<string>? scopes = null, bool redirectUriWasSent = true, string? nonce = Nonce) =>
        AuthorizationCode.Issue(OpaqueToken.HashOf(code), new AuthorizationCodeGrant(
            clientId, _user.Id, _sessionId, RedirectUri, redirectUriWasSent, scopes ?? GrantedScopes, Challenge, nonce, _authTime),
            _clock.GetUtcNow(), TimeSpan.FromMinutes(1));

    private static ClientCredentials Public(string clientId = ClientId) => new(clientId, null, PresentedAuthMethod.None);

    private Task<ProtocolResult<TokenResponse>> Redeem(
        string? code, string? verifier = Verifier, string? redirectUri = RedirectUri, ClientCredentials? credentials = null) =>
        _handler.Handle(new RedeemAuthorizationCode(credentials ?? Public(), code, verifier, redirectUri, "198.51.100.7"), CancellationToken.None);

    private void AssertInvalidGrant(ProtocolResult<TokenResponse> result)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal("invalid_grant", result.Error.Code);
    }

    private void AssertNothingIssued()
    {
        Assert.Empty(_accessTokens.Issued);
        Assert.Empty(_idTokens.Issued);
        Assert.Empty(_families.Families);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    // ---- client and request ----

    [Fact]
    public async Task Failed_client_authentication_is_invalid_client()
    {
        var code = IssueCode("conf");

        var result = await Redeem(code, credentials: new ClientCredentials("conf", "wrong-secret-0123456789", PresentedAuthMethod.ClientSecretBasic));

        Assert.Equal("invalid_client", result.Error!.Code);
        AssertNothingIssued();
        Assert.Null(_codes.Codes[0].RedeemedAt);
    }

    [Fact]
    public async Task Client_without_the_code_grant_is_unauthorized_client()
    {
        var code = IssueCode("svc");

        var result = await Redeem(code, credentials: new ClientCredentials("svc", TestClients.ServiceSecret, PresentedAuthMethod.ClientSecretBasic));

        Assert.Equal("unauthorized_client", result.Error!.Code);
        AssertNothingIssued();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Missing_code_is_invalid_request(string? code)
    {
        var result = await Redeem(code);

        Assert.Equal("invalid_request", result.Error!.Code);
        AssertNothingIssued();
    }

    [Theory]
    [InlineData("short")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cMx")]
    public async Task Code_of_the_wrong_length_is_invalid_grant(string code)
    {
        AssertInvalidGrant(await Redeem(code));
        AssertNothingIssued();
    }

    [Fact]
    public async Task Unknown_code_is_invalid_grant()
    {
        IssueCode();

        AssertInvalidGrant(await Redeem(OpaqueToken.New()));
        AssertNothingIssued();
    }

    [Fact]
    public async Task The_code_hash_is_not_accepted_as_the_code()
    {
        var code = IssueCode();

        AssertInvalidGrant(await Redeem(OpaqueToken.HashOf(code)));
        AssertNothingIssued();
    }

    // ---- binding ----

    [Fact]
    public async Task Code_of_another_client_is_invalid_grant_and_stays_usable()
    {
        var code = IssueCode();

        AssertInvalidGrant(await Redeem(code, credentials: Public("code-only")));

        AssertNothingIssued();
        Assert.Null(_codes.Codes[0].RedeemedAt);
        Assert.True((await Redeem(code)).IsSuccess);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK")]
    [InlineData("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")]
    [InlineData("too-short")]
    public async Task Wrong_or_missing_verifier_is_invalid_grant_and_the_code_stays_usable(string? verifier)
    {
        var code = IssueCode();

        AssertInvalidGrant(await Redeem(code, verifier));

        AssertNothingIssued();
        Assert.Null(_codes.Codes[0].RedeemedAt);
        Assert.True((await Redeem(code)).IsSuccess);
    }

    [Fact]
    public async Task Redirect_uri_sent_at_authorization_is_required_at_redemption()
    {
        var code = IssueCode(redirectUriWasSent: true);

        AssertInvalidGrant(await Redeem(code, redirectUri: null));
        AssertNothingIssued();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Different_redirect_uri_is_invalid_grant(bool wasSent)
    {
        var code = IssueCode(redirectUriWasSent: wasSent);

        AssertInvalidGrant(await Redeem(code, redirectUri: OtherRedirectUri));
        AssertNothingIssued();
    }

    [Fact]
    public async Task Redirect_uri_may_be_left_out_when_it_was_not_sent_at_authorization()
    {
        var code = IssueCode(redirectUriWasSent: false);

        Assert.True((await Redeem(code, redirectUri: null)).IsSuccess);
    }

    [Fact]
    public async Task Expired_code_is_invalid_grant()
    {
        var code = IssueCode();
        _clock.Advance(TimeSpan.FromMinutes(1));

        AssertInvalidGrant(await Redeem(code));
        AssertNothingIssued();
        Assert.Null(_codes.Codes[0].RedeemedAt);
    }

    [Fact]
    public async Task Code_just_before_expiry_is_redeemed()
    {
        var code = IssueCode();
        _clock.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));

        Assert.True((await Redeem(code)).IsSuccess);
    }

    // ---- user state ----

    [Fact]
    public async Task Disabled_user_is_invalid_grant()
    {
        var code = IssueCode();
        _user.Disable("stamp-2", _clock.GetUtcNow());

        AssertInvalidGrant(await Redeem(code));
        AssertNothingIssued();
    }

    [Fact]
    public async Task Locked_out_user_is_invalid_grant()
    {
        var code = IssueCode();
        for (var i = 0; i < LockoutPolicy.Default.MaxFailedAttempts; i++)
        {
            _user.RecordFailedLogin(_clock.GetUtcNow(), LockoutPolicy.Default);
        }

        AssertInvalidGrant(await Redeem(code));
        AssertNothingIssued();
    }

    [Fact]
    public async Task Deleted_user_is_invalid_grant()
    {
        var code = IssueCode();
        _users.Users.Clear();

        AssertInvalidGrant(await Redeem(code));
        AssertNothingIssued();
    }

    // ---- success ----

    [Fact]
    public async Task Valid_code_returns_access_id_and_refresh_tokens_and_marks_the_code_redeemed()
    {
        var code = IssueCode();
        var now = _clock.GetUtcNow();

        var result = await Redeem(code);

        Assert.True(result.IsSuccess);
        var response = result.Value;
        Assert.Equal("token-1", response.AccessToken);
        Assert.Equal("Bearer", response.TokenType);
        Assert.Equal((int)WebAccessTokenLifetime.TotalSeconds, response.ExpiresIn);
        Assert.Equal("openid offline_access api.read", response.Scope);
        Assert.Equal("id-token-1", response.IdToken);
        Assert.NotNull(response.RefreshToken);
        Assert.Equal(OpaqueToken.HashLength, response.RefreshToken.Length);

        var access = Assert.Single(_accessTokens.Issued);
        Assert.Equal(_user.Id.ToString(), access.Subject);
        Assert.Equal(ClientId, access.ClientId);
        Assert.Equal(FakeIssuerProvider.DefaultIssuer, access.Audience);
        Assert.Equal(GrantedScopes, access.Scopes);
        Assert.Equal(now, access.IssuedAt);

        var id = Assert.Single(_idTokens.Issued);
        Assert.Equal(_user.Id.ToString(), id.Subject);
        Assert.Equal(ClientId, id.ClientId);
        Assert.Equal(_authTime, id.AuthTime);
        Assert.Equal(Nonce, id.Nonce);
        Assert.Equal(_sessionId.ToString(), id.SessionId);
        Assert.Equal("token-1", id.AccessToken);
        Assert.Equal(now, id.IssuedAt);

        var family = Assert.Single(_families.Families);
        var first = Assert.Single(_families.Tokens);
        Assert.Equal(OpaqueToken.HashOf(response.RefreshToken), first.TokenHash);
        Assert.Equal(family.Id, first.FamilyId);
        Assert.Equal(1, first.Generation);
        Assert.Equal(ClientId, family.ClientId);
        Assert.Equal(_user.Id, family.UserId);
        Assert.Equal(_sessionId, family.SessionId);
        Assert.Equal(GrantedScopes, family.Scopes);
        Assert.Equal(_authTime, family.AuthTime);
        Assert.Equal(now + WebAccessTokenLifetime, family.AccessTokensExpireAt);
        Assert.Equal(family.AccessTokenKey, Assert.Single(_accessTokens.Issued).Family);

        var stored = _codes.Codes[0];
        Assert.Equal(now, stored.RedeemedAt);
        Assert.Equal("jti-1", stored.AccessTokenId);
        Assert.Equal(now + WebAccessTokenLifetime, stored.AccessTokenExpiresAt);
        Assert.Equal(family.Id, stored.RefreshTokenFamilyId);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Empty(_revocations.Added);
    }

    [Fact]
    public async Task Confidential_client_authenticates_with_its_secret()
    {
        var code = IssueCode("conf");

        var result = await Redeem(code, credentials: new ClientCredentials("conf", WebSecret, PresentedAuthMethod.ClientSecretBasic));

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Without_openid_there_is_no_id_token()
    {
        var code = IssueCode(scopes: ["api.read", "offline_access"]);

        var result = await Redeem(code);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value.IdToken);
        Assert.Empty(_idTokens.Issued);
        Assert.NotNull(result.Value.RefreshToken);
    }

    [Fact]
    public async Task Without_offline_access_there_is_no_refresh_token()
    {
        var code = IssueCode(scopes: ["openid", "api.read"]);

        var result = await Redeem(code);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value.RefreshToken);
        Assert.Empty(_families.Families);
        Assert.Null(_codes.Codes[0].RefreshTokenFamilyId);
        Assert.Equal("jti-1", _codes.Codes[0].AccessTokenId);
    }

    [Fact]
    public async Task Client_without_the_refresh_grant_gets_no_refresh_token_even_with_offline_access()
    {
        var code = IssueCode("code-only");

        var result = await Redeem(code, credentials: Public("code-only"));

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value.RefreshToken);
        Assert.Empty(_families.Families);
    }

    [Fact]
    public async Task Code_without_a_nonce_gives_an_id_token_without_one()
    {
        var code = IssueCode(nonce: null);

        Assert.True((await Redeem(code)).IsSuccess);

        Assert.Null(Assert.Single(_idTokens.Issued).Nonce);
    }

    // ---- replay ----

    [Fact]
    public async Task Second_redemption_is_invalid_grant_and_revokes_the_family_and_denylists_the_access_token()
    {
        var code = IssueCode();
        var first = await Redeem(code);
        Assert.True(first.IsSuccess);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var second = await Redeem(code);

        AssertInvalidGrant(second);
        Assert.Single(_accessTokens.Issued);
        var family = Assert.Single(_families.Families);
        Assert.Equal(_clock.GetUtcNow(), family.RevokedAt);
        Assert.Equal("code_replay", family.RevocationReason);
        // The code's access token names the family: the family's one entry denies it.
        var denied = Assert.Single(_revocations.Added);
        Assert.Equal(RevokedAccessToken.FamilyEntryId(family.AccessTokenKey), denied.JwtId);
        Assert.Equal(family.AccessTokenKey, Assert.Single(_accessTokens.Issued).Family);
        Assert.Equal(ClientId, denied.ClientId);
        Assert.Equal(_clock.GetUtcNow(), _codes.Codes[0].ReplayDetectedAt);
        Assert.Contains(_logger.Entries, e => e.EventId.Id == 2201 && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Replay_without_a_family_denylists_the_access_token()
    {
        var code = IssueCode(scopes: ["openid", "api.read"]);
        Assert.True((await Redeem(code)).IsSuccess);

        AssertInvalidGrant(await Redeem(code));

        Assert.Equal("jti-1", Assert.Single(_revocations.Added).JwtId);
    }

    [Fact]
    public async Task Replay_after_the_code_expired_still_revokes()
    {
        var code = IssueCode();
        Assert.True((await Redeem(code)).IsSuccess);
        _clock.Advance(TimeSpan.FromMinutes(5));

        AssertInvalidGrant(await Redeem(code));

        Assert.NotNull(_families.Families[0].RevokedAt);
        Assert.Single(_revocations.Added);
    }

    [Fact]
    public async Task Third_redemption_revokes_nothing_more()
    {
        var code = IssueCode();
        Assert.True((await Redeem(code)).IsSuccess);
        AssertInvalidGrant(await Redeem(code));
        var saves = _unitOfWork.Saves;

        AssertInvalidGrant(await Redeem(code));

        Assert.Single(_revocations.Added);
        Assert.Equal(saves, _unitOfWork.Saves);
    }

    [Theory]
    [InlineData("code-only", Verifier)]
    [InlineData(ClientId, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK")]
    public async Task Replay_failing_the_binding_revokes_nothing(string clientId, string verifier)
    {
        var code = IssueCode();
        Assert.True((await Redeem(code)).IsSuccess);

        AssertInvalidGrant(await Redeem(code, verifier, credentials: Public(clientId)));

        Assert.Null(_families.Families[0].RevokedAt);
        Assert.Empty(_revocations.Added);
        Assert.Null(_codes.Codes[0].ReplayDetectedAt);
    }

    [Fact]
    public async Task Concurrency_conflict_at_the_save_is_treated_as_a_replay_of_the_winner()
    {
        var code = IssueCode();
        var winnerFamilyId = Guid.NewGuid();
        var winnerExpiry = _clock.GetUtcNow() + WebAccessTokenLifetime;
        var saves = 0;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 1)
            {
                // A parallel redemption committed first: the store holds its family and its redeemed code;
                // this unit of work (our family, our redemption) is discarded.
                _families.Families.Clear();
                _families.Tokens.Clear();
                var (family, token) = RefreshTokenFamily.Start(winnerFamilyId, OpaqueToken.HashOf(OpaqueToken.New()),
                    new RefreshTokenGrant(ClientId, _user.Id, _sessionId, GrantedScopes, _authTime),
                    new RefreshTokenLifetimes(TimeSpan.FromDays(30), TimeSpan.FromDays(7)), _clock.GetUtcNow());
                family.RecordAccessToken(winnerExpiry);
                _families.Add(family, token);
                var redeemed = NewCode(code);
                redeemed.Redeem(ClientId, Verifier, RedirectUri, null, _user, _clock.GetUtcNow());
                redeemed.RecordIssued(new IssuedFromCode("jti-winner", winnerExpiry, winnerFamilyId));
                _codes.Replace(redeemed);
                return SaveResult.ConcurrencyConflict;
            }

            return SaveResult.Saved;
        };

        var result = await Redeem(code);

        AssertInvalidGrant(result);
        var winner = Assert.Single(_families.Families);
        Assert.Equal(winnerFamilyId, winner.Id);
        Assert.Equal("code_replay", winner.RevocationReason);
        Assert.Equal([RevokedAccessToken.FamilyEntryId(winner.AccessTokenKey)], _revocations.Added.Select(r => r.JwtId));
        Assert.Equal(winnerExpiry, _revocations.Added[0].ExpiresAt);
        Assert.NotNull(_codes.Codes.Single().ReplayDetectedAt);
    }

    [Fact]
    public async Task Concurrency_conflict_at_the_save_never_returns_tokens()
    {
        var code = IssueCode();
        var saves = 0;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 1)
            {
                return SaveResult.ConcurrencyConflict;
            }

            return SaveResult.Saved;
        };

        var result = await Redeem(code);

        AssertInvalidGrant(result);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task Family_and_id_token_lifetimes_and_algorithm_come_from_the_options_and_the_client()
    {
        var code = IssueCode();
        var now = _clock.GetUtcNow();
        var defaults = new SignInOptions();

        Assert.True((await Redeem(code)).IsSuccess);

        var family = Assert.Single(_families.Families);
        Assert.Equal(now + defaults.RefreshTokenAbsoluteLifetime, family.AbsoluteExpiresAt);
        Assert.Equal(now + defaults.RefreshTokenIdleLifetime, family.IdleExpiresAt);
        var id = Assert.Single(_idTokens.Issued);
        Assert.Equal(defaults.IdTokenLifetime, id.Lifetime);
        Assert.Equal("RS256", id.Algorithm);
        Assert.Equal(WebAccessTokenLifetime, Assert.Single(_accessTokens.Issued).Lifetime);
    }

    [Fact]
    public async Task Replay_whose_detection_conflicts_with_a_concurrent_replay_revokes_nothing_itself()
    {
        var code = IssueCode();
        Assert.True((await Redeem(code)).IsSuccess);
        _unitOfWork.RaceOnSave = () => SaveResult.ConcurrencyConflict;

        AssertInvalidGrant(await Redeem(code));

        Assert.Null(_families.Families[0].RevokedAt);
        Assert.Empty(_revocations.Added);
        Assert.DoesNotContain(_logger.Entries, e => e.EventId.Id == 2201);
    }
}
