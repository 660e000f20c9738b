using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.SignIn;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Commands.RefreshAccessToken;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Tokens;

public class RefreshAccessTokenHandlerTests
{
    private static readonly string[] GrantedScopes = ["openid", "offline_access", "api.read"];
    private static readonly RefreshTokenLifetimes FamilyLifetimes = new(TimeSpan.FromDays(30), TimeSpan.FromDays(7));

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeThrottle _clientThrottle = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryRefreshTokenFamilyRepository _families;
    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly FakeAccessTokenIssuer _accessTokens = new();
    private readonly FakeIdTokenIssuer _idTokens = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly CapturingLogger<RefreshAccessTokenHandler> _logger = new(LogLevel.Information);
    private readonly RefreshAccessTokenHandler _handler;
    private readonly User _user;
    private readonly Guid _sessionId = Guid.NewGuid();
    private readonly DateTimeOffset _authTime;

    public RefreshAccessTokenHandlerTests()
    {
        _authTime = _clock.Start;
        _families = new InMemoryRefreshTokenFamilyRepository(_users);
        _catalog
            .Add(RegisterWeb())
            .Add(RegisterWeb("other"))
            .Add(RegisterWeb("code-only", WebSettings(grantTypes: [GrantTypes.AuthorizationCode])))
            .Add(RegisterWeb("conf", WebSettings(authMethod: TokenEndpointAuthMethods.ClientSecretPost)));
        _user = RegisterUser();
        _users.Add(_user);
        _handler = new RefreshAccessTokenHandler(
            new ClientAuthenticator(_catalog, _clientThrottle, new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(), new FakeTokenRateLimiter(), _clock, NullLogger<ClientAuthenticator>.Instance),
            FakeDPoPProofValidator.SenderConstraint(),
            _families,
            new UserTokens(_accessTokens, _idTokens, new FakeIssuerProvider(), Options.Create(new SignInOptions()), InMemoryProtectedResourceRepository.NoResources()),
            new TenantClaimsReader(new InMemoryTenantMembershipRepository()),
            new GrantRevocation(_families, _revocations, _unitOfWork, _clock),
            _unitOfWork,
            _clock,
            _logger);
    }

    /// <summary>A family started now (as a code redemption would), with an access token of the usual lifetime; the clock then moves on a minute.</summary>
    private (RefreshTokenFamily Family, string Token) Started(string clientId = ClientId, IReadOnlyList<string>? scopes = null)
    {
        var token = OpaqueToken.New();
        var (family, first) = RefreshTokenFamily.Start(Guid.NewGuid(), OpaqueToken.HashOf(token),
            new RefreshTokenGrant(clientId, _user.Id, _sessionId, scopes ?? GrantedScopes, _authTime), FamilyLifetimes, _clock.GetUtcNow());
        family.RecordAccessToken(_clock.GetUtcNow() + WebAccessTokenLifetime);
        _families.Add(family, first);
        _clock.Advance(TimeSpan.FromMinutes(1));
        return (family, token);
    }

    private static ClientCredentials Public(string clientId = ClientId) => new(clientId, null, PresentedAuthMethod.None);

    private Task<ProtocolResult<TokenResponse>> Refresh(string? token, string? scope = null, ClientCredentials? credentials = null) =>
        _handler.Handle(new RefreshAccessToken(credentials ?? Public(), token, scope, "198.51.100.7"), CancellationToken.None);

    private static void AssertError(ProtocolResult<TokenResponse> result, string code)
    {
        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Error.Code);
    }

    private void AssertNothingIssued()
    {
        Assert.Empty(_accessTokens.Issued);
        Assert.Empty(_idTokens.Issued);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    // ---- client and request ----

    [Fact]
    public async Task Failed_client_authentication_is_invalid_client()
    {
        var (_, token) = Started("conf");

        AssertError(await Refresh(token, credentials: new ClientCredentials("conf", "wrong-secret-0123456789", PresentedAuthMethod.ClientSecretPost)), "invalid_client");
        AssertNothingIssued();
    }

    [Fact]
    public async Task Client_without_the_refresh_grant_is_unauthorized_client()
    {
        var (family, token) = Started("code-only");

        AssertError(await Refresh(token, credentials: Public("code-only")), "unauthorized_client");
        AssertNothingIssued();
        Assert.Equal(1, family.Generation);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task Missing_refresh_token_is_invalid_request(string? token)
    {
        AssertError(await Refresh(token), "invalid_request");
        AssertNothingIssued();
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("open\\id")]
    public async Task Malformed_scope_is_invalid_scope(string scope)
    {
        var (family, token) = Started();

        AssertError(await Refresh(token, scope), "invalid_scope");
        AssertNothingIssued();
        Assert.Equal(1, family.Generation);
    }

    [Fact]
    public async Task Token_of_the_wrong_length_is_invalid_grant()
    {
        Started();

        AssertError(await Refresh("short"), "invalid_grant");
        AssertNothingIssued();
    }

    [Fact]
    public async Task Unknown_token_is_invalid_grant()
    {
        Started();

        AssertError(await Refresh(OpaqueToken.New()), "invalid_grant");
        AssertNothingIssued();
    }

    // ---- binding and state of the family ----

    [Fact]
    public async Task Token_of_another_client_is_invalid_grant_and_revokes_nothing()
    {
        var (family, token) = Started();

        AssertError(await Refresh(token, credentials: Public("other")), "invalid_grant");

        AssertNothingIssued();
        Assert.Null(family.RevokedAt);
        Assert.Equal(1, family.Generation);
        Assert.Empty(_revocations.Added);
    }

    [Fact]
    public async Task Token_of_a_revoked_family_is_invalid_grant()
    {
        var (family, token) = Started();
        family.Revoke("user_logout", _clock.GetUtcNow());

        AssertError(await Refresh(token), "invalid_grant");
        AssertNothingIssued();
    }

    [Fact]
    public async Task Token_of_an_idle_family_is_invalid_grant()
    {
        var (_, token) = Started();
        _clock.Advance(FamilyLifetimes.Idle);

        AssertError(await Refresh(token), "invalid_grant");
        AssertNothingIssued();
    }

    [Fact]
    public async Task Token_past_the_absolute_lifetime_is_invalid_grant_however_often_it_was_used()
    {
        var (_, token) = Started();
        for (var i = 1; i <= 5; i++)
        {
            _clock.Advance(TimeSpan.FromDays(5));
            var result = await Refresh(token);
            Assert.True(result.IsSuccess, $"refresh on day {i * 5}");
            token = result.Value.RefreshToken!;
        }

        _clock.Advance(TimeSpan.FromDays(5));
        AssertError(await Refresh(token), "invalid_grant");
    }

    // ---- user state ----

    [Fact]
    public async Task Disabled_user_is_invalid_grant()
    {
        var (family, token) = Started();
        _user.Disable("stamp-2", _clock.GetUtcNow());

        AssertError(await Refresh(token), "invalid_grant");
        AssertNothingIssued();
        Assert.Equal(1, family.Generation);
    }

    [Fact]
    public async Task Locked_out_user_is_invalid_grant()
    {
        var (_, token) = Started();
        for (var i = 0; i < LockoutPolicy.Default.MaxFailedAttempts; i++)
        {
            _user.RecordFailedLogin(_clock.GetUtcNow(), LockoutPolicy.Default);
        }

        AssertError(await Refresh(token), "invalid_grant");
        AssertNothingIssued();
    }

    // ---- rotation ----

    [Fact]
    public async Task Current_token_rotates_and_returns_new_tokens_for_the_granted_scopes()
    {
        var (family, token) = Started();
        var now = _clock.GetUtcNow();

        var result = await Refresh(token);

        Assert.True(result.IsSuccess);
        var response = result.Value;
        Assert.Equal("token-1", response.AccessToken);
        Assert.Equal("Bearer", response.TokenType);
        Assert.Equal((int)WebAccessTokenLifetime.TotalSeconds, response.ExpiresIn);
        Assert.Equal("openid offline_access api.read", response.Scope);
        Assert.Equal("id-token-1", response.IdToken);
        Assert.NotNull(response.RefreshToken);
        Assert.NotEqual(token, response.RefreshToken);
        Assert.Equal(OpaqueToken.HashLength, response.RefreshToken.Length);

        Assert.Equal(2, family.Generation);
        Assert.Equal(now, family.LastUsedAt);
        var next = _families.Tokens.Single(t => t.TokenHash == OpaqueToken.HashOf(response.RefreshToken));
        Assert.Equal(family.Id, next.FamilyId);
        Assert.Equal(2, next.Generation);
        Assert.Equal(now + WebAccessTokenLifetime, family.AccessTokensExpireAt);

        var access = Assert.Single(_accessTokens.Issued);
        Assert.Equal(family.AccessTokenKey, access.Family);
        Assert.Equal(_user.Id.ToString(), access.Subject);
        Assert.Equal(GrantedScopes, access.Scopes);
        var id = Assert.Single(_idTokens.Issued);
        Assert.Equal(_authTime, id.AuthTime);
        Assert.Null(id.Nonce);
        Assert.Equal(_sessionId.ToString(), id.SessionId);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Rotated_token_can_be_used_in_turn()
    {
        var (family, token) = Started();

        var first = await Refresh(token);
        var second = await Refresh(first.Value!.RefreshToken);

        Assert.True(second.IsSuccess);
        Assert.Equal(3, family.Generation);
        Assert.Null(family.RevokedAt);
    }

    [Fact]
    public async Task Confidential_client_authenticates_with_its_secret()
    {
        var (_, token) = Started("conf");

        Assert.True((await Refresh(token, credentials: new ClientCredentials("conf", WebSecret, PresentedAuthMethod.ClientSecretPost))).IsSuccess);
    }

    [Fact]
    public async Task Narrower_scope_is_issued_and_the_family_keeps_its_scopes()
    {
        var (family, token) = Started();

        var result = await Refresh(token, "api.read");

        Assert.True(result.IsSuccess);
        Assert.Equal("api.read", result.Value.Scope);
        Assert.Equal(["api.read"], Assert.Single(_accessTokens.Issued).Scopes);
        Assert.Null(result.Value.IdToken);
        Assert.Equal(GrantedScopes, family.Scopes);

        var later = await Refresh(result.Value.RefreshToken);
        Assert.Equal("openid offline_access api.read", later.Value!.Scope);
    }

    [Theory]
    [InlineData("api.read profile")]
    [InlineData("email")]
    [InlineData("api.write")]
    public async Task Wider_scope_is_invalid_scope_and_does_not_rotate(string scope)
    {
        var (family, token) = Started();

        AssertError(await Refresh(token, scope), "invalid_scope");

        AssertNothingIssued();
        Assert.Equal(1, family.Generation);
        Assert.Single(_families.Tokens);
        Assert.True((await Refresh(token)).IsSuccess);
    }

    // ---- reuse ----

    [Fact]
    public async Task Reused_token_is_invalid_grant_and_revokes_the_family_and_its_access_tokens()
    {
        var (family, token) = Started();
        var rotated = await Refresh(token);
        Assert.True(rotated.IsSuccess);
        _clock.Advance(TimeSpan.FromSeconds(10));

        AssertError(await Refresh(token), "invalid_grant");

        Assert.Equal(_clock.GetUtcNow(), family.RevokedAt);
        Assert.Equal("reuse", family.RevocationReason);
        // One entry for the family denies both of its access tokens (the code's and the refresh's), which name it, until the later expires.
        var denied = Assert.Single(_revocations.Added);
        Assert.Equal(RevokedAccessToken.FamilyEntryId(family.AccessTokenKey), denied.JwtId);
        Assert.Equal(ClientId, denied.ClientId);
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromSeconds(10) + WebAccessTokenLifetime, denied.ExpiresAt);
        Assert.Equal(family.AccessTokenKey, Assert.Single(_accessTokens.Issued).Family);
        Assert.Single(_accessTokens.Issued);
        Assert.Contains(_logger.Entries, e => e.EventId.Id == 2301 && e.Level == LogLevel.Warning);

        AssertError(await Refresh(rotated.Value!.RefreshToken), "invalid_grant");
    }

    [Fact]
    public async Task Reuse_does_not_denylist_access_tokens_that_have_expired()
    {
        var (_, token) = Started();
        var rotated = await Refresh(token);
        Assert.True(rotated.IsSuccess);
        _clock.Advance(WebAccessTokenLifetime);

        AssertError(await Refresh(token), "invalid_grant");

        Assert.Empty(_revocations.Added);
    }

    [Fact]
    public async Task Concurrency_conflict_at_the_save_is_treated_as_reuse()
    {
        var (family, token) = Started();
        var saves = 0;
        RefreshTokenFamily? winner = null;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 1)
            {
                // A parallel refresh with the same token committed first; this unit of work is discarded.
                winner = RefreshTokenFamily.Start(family.Id, _families.Tokens[0].TokenHash,
                    new RefreshTokenGrant(ClientId, _user.Id, _sessionId, GrantedScopes, _authTime), FamilyLifetimes, _clock.Start).Family;
                var winnerToken = winner.Rotate(1, OpaqueToken.HashOf(OpaqueToken.New()), _clock.GetUtcNow());
                winner.RecordAccessToken(_clock.GetUtcNow() + WebAccessTokenLifetime + TimeSpan.FromMinutes(1));
                _families.Families.Clear();
                _families.Families.Add(winner);
                _families.Tokens.RemoveAll(t => t.Generation == 2);
                _families.AddToken(winnerToken);
                return SaveResult.ConcurrencyConflict;
            }

            return SaveResult.Saved;
        };

        var result = await Refresh(token);

        AssertError(result, "invalid_grant");
        Assert.NotNull(winner);
        Assert.Equal("reuse", winner.RevocationReason);
        // The family as the winner left it: denied until the winner's access token expires.
        var denied = Assert.Single(_revocations.Added);
        Assert.Equal(RevokedAccessToken.FamilyEntryId(winner.AccessTokenKey), denied.JwtId);
        Assert.Equal(_clock.GetUtcNow() + WebAccessTokenLifetime + TimeSpan.FromMinutes(1), denied.ExpiresAt);
    }

    [Fact]
    public async Task Uniqueness_conflict_at_the_save_is_treated_as_reuse()
    {
        var (family, token) = Started();
        var saves = 0;
        _unitOfWork.RaceOnSave = () =>
        {
            if (++saves == 1)
            {
                return SaveResult.UniquenessConflict;
            }

            return SaveResult.Saved;
        };

        var result = await Refresh(token);

        AssertError(result, "invalid_grant");
        Assert.NotNull(family.RevokedAt);
    }

    [Fact]
    public async Task Conflicts_on_every_attempt_end_in_invalid_grant()
    {
        var (_, token) = Started();
        var saves = 0;
        _unitOfWork.RaceOnSave = () =>
        {
            saves++;

            // Each time, the failed rotation is discarded and the store still holds generation 1.
            var fresh = RefreshTokenFamily.Start(_families.Families[0].Id, _families.Tokens[0].TokenHash,
                new RefreshTokenGrant(ClientId, _user.Id, _sessionId, GrantedScopes, _authTime), FamilyLifetimes, _clock.Start).Family;
            _families.Families.Clear();
            _families.Families.Add(fresh);
            _families.Tokens.RemoveAll(t => t.Generation > 1);
            return SaveResult.ConcurrencyConflict;
        };

        var result = await Refresh(token);

        AssertError(result, "invalid_grant");
        Assert.Equal(ConflictRetry.MaxAttempts, saves);
    }
}
