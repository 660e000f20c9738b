using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.RefreshTokens.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.RefreshTokens;

public class RefreshTokenFamilyTests
{
    private const string ClientId = "spa";

    private static readonly Guid FamilyId = new("3e1d2c4b-6a59-4f87-9e6d-5c4b3a291807");
    private static readonly Guid SessionId = new("0b6f8a55-3c1d-4e2f-8a9b-7c6d5e4f3a21");
    private static readonly DateTimeOffset AuthTime = Now.AddMinutes(-2);
    private static readonly TimeSpan Absolute = TimeSpan.FromHours(8);
    private static readonly TimeSpan Idle = TimeSpan.FromHours(1);
    private static readonly RefreshTokenLifetimes Lifetimes = new(Absolute, Idle);

    private static string Hash(int n) => OpaqueToken.HashOf($"refresh-token-{n}");

    private static RefreshTokenGrant Grant() => new(ClientId, UserId, SessionId, ["openid", "offline_access", "api.read"], AuthTime);

    private static (RefreshTokenFamily Family, RefreshToken Token) Started() =>
        RefreshTokenFamily.Start(FamilyId, Hash(1), Grant(), Lifetimes, Now);

    private static RefreshTokenFamily Family()
    {
        var family = Started().Family;
        family.ClearDomainEvents();
        return family;
    }

    // ---- Start ----

    [Fact]
    public void Start_keeps_the_grant_and_the_lifetimes()
    {
        var (family, _) = Started();

        Assert.Equal(FamilyId, family.Id);
        Assert.Equal(ClientId, family.ClientId);
        Assert.Equal(UserId, family.UserId);
        Assert.Equal(SessionId, family.SessionId);
        Assert.Equal(["openid", "offline_access", "api.read"], family.Scopes);
        Assert.Equal(AuthTime, family.AuthTime);
        Assert.Equal(1, family.Generation);
        Assert.Equal(Now, family.CreatedAt);
        Assert.Equal(Now, family.LastUsedAt);
        Assert.Equal(Now + Absolute, family.AbsoluteExpiresAt);
        Assert.Equal(Idle, family.IdleLifetime);
        Assert.Equal(Now + Idle, family.IdleExpiresAt);
        Assert.Null(family.RevokedAt);
        Assert.Null(family.RevocationReason);
        Assert.Empty(family.LegacyAccessTokens);
        Assert.Null(family.AccessTokensExpireAt);
        Assert.True(family.IsActive(Now));
    }

    [Fact]
    public void Start_issues_the_first_token_of_generation_1()
    {
        var (_, token) = Started();

        Assert.Equal(1, token.Generation);
        Assert.Equal(Hash(1), token.TokenHash);
        Assert.Equal(FamilyId, token.FamilyId);
        Assert.Equal(Now, token.IssuedAt);
    }

    [Fact]
    public void Start_raises_RefreshTokenFamilyStarted()
    {
        var (family, _) = Started();

        var started = Assert.IsType<RefreshTokenFamilyStarted>(Assert.Single(family.DomainEvents));
        Assert.Equal(FamilyId, started.FamilyId);
        Assert.Equal(ClientId, started.ClientId);
        Assert.Equal(UserId, started.UserId);
        Assert.Equal(Now, started.OccurredAt);
    }

    [Fact]
    public void Start_without_session_keeps_none() =>
        Assert.Null(RefreshTokenFamily.Start(FamilyId, Hash(1), Grant() with { SessionId = null }, Lifetimes, Now).Family.SessionId);

    [Fact]
    public void Start_copies_the_scopes()
    {
        var scopes = new List<string> { "openid" };

        var (family, _) = RefreshTokenFamily.Start(FamilyId, Hash(1), Grant() with { Scopes = scopes }, Lifetimes, Now);
        scopes.Add("admin");

        Assert.Equal(["openid"], family.Scopes);
    }

    [Fact]
    public void Start_without_id_is_refused() =>
        AssertRefused("id", () => RefreshTokenFamily.Start(Guid.Empty, Hash(1), Grant(), Lifetimes, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Start_without_client_is_refused(string? clientId) =>
        AssertRefused("client_id", () => RefreshTokenFamily.Start(FamilyId, Hash(1), Grant() with { ClientId = clientId! }, Lifetimes, Now));

    [Fact]
    public void Start_without_user_is_refused() =>
        AssertRefused("user", () => RefreshTokenFamily.Start(FamilyId, Hash(1), Grant() with { UserId = Guid.Empty }, Lifetimes, Now));

    [Fact]
    public void Start_without_scopes_is_refused() =>
        AssertRefused("scope", () => RefreshTokenFamily.Start(FamilyId, Hash(1), Grant() with { Scopes = [] }, Lifetimes, Now));

    [Fact]
    public void Start_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => RefreshTokenFamily.Start(FamilyId, Hash(1), Grant(), Lifetimes, Now.ToOffset(TimeSpan.FromHours(1))));

    [Fact]
    public void Start_with_non_utc_auth_time_is_refused() =>
        AssertRefused("auth_time", () => RefreshTokenFamily.Start(FamilyId, Hash(1), Grant() with { AuthTime = AuthTime.ToOffset(TimeSpan.FromHours(5.5)) }, Lifetimes, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("refresh-token-1")] // the raw token, not its hash
    [InlineData("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa")] // 42
    [InlineData("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0=")] // 44
    public void Start_with_a_token_hash_of_the_wrong_length_is_refused(string? tokenHash) =>
        AssertRefused("refresh_token", () => RefreshTokenFamily.Start(FamilyId, tokenHash!, Grant(), Lifetimes, Now));

    [Fact]
    public void Start_with_idle_lifetime_over_the_absolute_lifetime_is_refused() =>
        AssertRefused("idle_lifetime", () => RefreshTokenFamily.Start(FamilyId, Hash(1), Grant(), new RefreshTokenLifetimes(TimeSpan.FromHours(1), TimeSpan.FromHours(2)), Now));

    [Fact]
    public void Start_with_zero_absolute_lifetime_is_refused() =>
        AssertRefused("absolute_lifetime", () => RefreshTokenFamily.Start(FamilyId, Hash(1), Grant(), new RefreshTokenLifetimes(TimeSpan.Zero, TimeSpan.Zero), Now));

    // ---- RefreshTokenLifetimes ----

    [Fact]
    public void Lifetimes_with_idle_over_absolute_are_refused() =>
        AssertRefused("idle_lifetime", () => new RefreshTokenLifetimes(TimeSpan.FromDays(1), TimeSpan.FromDays(1) + TimeSpan.FromTicks(1)).Validate());

    [Fact]
    public void Lifetimes_with_zero_idle_are_refused() =>
        AssertRefused("idle_lifetime", () => new RefreshTokenLifetimes(TimeSpan.FromDays(1), TimeSpan.Zero).Validate());

    [Fact]
    public void Lifetimes_with_negative_idle_are_refused() =>
        AssertRefused("idle_lifetime", () => new RefreshTokenLifetimes(TimeSpan.FromDays(1), TimeSpan.FromHours(-1)).Validate());

    [Fact]
    public void Lifetimes_with_zero_absolute_are_refused() =>
        AssertRefused("absolute_lifetime", () => new RefreshTokenLifetimes(TimeSpan.Zero, TimeSpan.FromHours(1)).Validate());

    [Fact]
    public void Lifetimes_with_negative_absolute_are_refused() =>
        AssertRefused("absolute_lifetime", () => new RefreshTokenLifetimes(TimeSpan.FromDays(-1), TimeSpan.FromHours(1)).Validate());

    [Fact]
    public void Lifetimes_with_idle_equal_to_absolute_are_accepted()
    {
        var lifetimes = new RefreshTokenLifetimes(TimeSpan.FromHours(1), TimeSpan.FromHours(1));
        lifetimes.Validate();

        var (family, _) = RefreshTokenFamily.Start(FamilyId, Hash(1), Grant(), lifetimes, Now);

        Assert.Equal(family.AbsoluteExpiresAt, family.IdleExpiresAt);
    }

    // ---- CheckUse ----

    [Fact]
    public void CheckUse_of_the_current_token_by_its_client_is_Current() =>
        Assert.Equal(RefreshTokenUse.Current, Family().CheckUse(ClientId, 1, Now.AddMinutes(1)));

    [Theory]
    [InlineData("other")]
    [InlineData("SPA")]
    [InlineData("")]
    public void CheckUse_by_another_client_is_WrongClient(string clientId) =>
        Assert.Equal(RefreshTokenUse.WrongClient, Family().CheckUse(clientId, 1, Now.AddMinutes(1)));

    [Fact]
    public void CheckUse_checks_the_client_before_revocation_reuse_and_expiry()
    {
        var family = Family();
        family.Rotate(1, Hash(2), Now.AddMinutes(1));

        Assert.Equal(RefreshTokenUse.WrongClient, family.CheckUse("other", 1, Now.AddMinutes(2)));
        Assert.Equal(RefreshTokenUse.WrongClient, family.CheckUse("other", 2, Now.AddHours(9)));

        family.Revoke("reuse", Now.AddMinutes(3));

        Assert.Equal(RefreshTokenUse.WrongClient, family.CheckUse("other", 2, Now.AddMinutes(4)));
        Assert.Equal(RefreshTokenUse.WrongClient, family.CheckUse("other", 1, Now.AddMinutes(4)));
    }

    [Fact]
    public void CheckUse_of_a_revoked_family_is_Revoked()
    {
        var family = Family();
        family.Revoke("user_logout", Now.AddMinutes(1));

        Assert.Equal(RefreshTokenUse.Revoked, family.CheckUse(ClientId, 1, Now.AddMinutes(2)));
    }

    [Fact]
    public void CheckUse_of_an_old_token_of_a_revoked_family_is_Revoked_not_Reused()
    {
        var family = Family();
        family.Rotate(1, Hash(2), Now.AddMinutes(1));
        family.Revoke("reuse", Now.AddMinutes(2));

        Assert.Equal(RefreshTokenUse.Revoked, family.CheckUse(ClientId, 1, Now.AddMinutes(3)));
        Assert.Equal(RefreshTokenUse.Revoked, family.CheckUse(ClientId, 2, Now.AddMinutes(3)));
    }

    [Fact]
    public void CheckUse_of_a_revoked_family_after_expiry_is_Revoked()
    {
        var family = Family();
        family.Revoke("user_logout", Now.AddMinutes(1));

        Assert.Equal(RefreshTokenUse.Revoked, family.CheckUse(ClientId, 1, Now.AddDays(1)));
    }

    [Fact]
    public void CheckUse_of_an_older_generation_is_Reused()
    {
        var family = Family();
        family.Rotate(1, Hash(2), Now.AddMinutes(1));
        family.Rotate(2, Hash(3), Now.AddMinutes(2));

        Assert.Equal(RefreshTokenUse.Reused, family.CheckUse(ClientId, 1, Now.AddMinutes(3)));
        Assert.Equal(RefreshTokenUse.Reused, family.CheckUse(ClientId, 2, Now.AddMinutes(3)));
        Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, 3, Now.AddMinutes(3)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(100)]
    [InlineData(0)]
    [InlineData(-1)]
    public void CheckUse_of_a_generation_that_was_never_current_is_Reused(int generation) =>
        Assert.Equal(RefreshTokenUse.Reused, Family().CheckUse(ClientId, generation, Now.AddMinutes(1)));

    [Fact]
    public void CheckUse_changes_nothing()
    {
        var family = Family();

        family.CheckUse(ClientId, 5, Now.AddMinutes(1));
        family.CheckUse("other", 1, Now.AddMinutes(1));

        Assert.Equal(1, family.Generation);
        Assert.Null(family.RevokedAt);
        Assert.Equal(Now, family.LastUsedAt);
        Assert.Empty(family.DomainEvents);
    }

    [Fact]
    public void CheckUse_one_tick_before_the_idle_expiry_is_Current() =>
        Assert.Equal(RefreshTokenUse.Current, Family().CheckUse(ClientId, 1, Now + Idle - TimeSpan.FromTicks(1)));

    [Fact]
    public void CheckUse_at_exactly_the_idle_expiry_is_Expired()
    {
        var family = Family();

        Assert.Equal(RefreshTokenUse.Expired, family.CheckUse(ClientId, 1, family.IdleExpiresAt));
        Assert.False(family.IsActive(family.IdleExpiresAt));
    }

    [Fact]
    public void CheckUse_at_exactly_the_absolute_expiry_is_Expired()
    {
        // Rotated just before the absolute expiry: the idle window alone would still be open.
        var family = Family();
        var rotatedAt = Now + Absolute - TimeSpan.FromMinutes(10);
        for (var at = Now.AddMinutes(50); at < rotatedAt; at = at.AddMinutes(50))
        {
            family.Rotate(family.Generation, Hash(family.Generation + 1), at);
        }

        family.Rotate(family.Generation, Hash(family.Generation + 1), rotatedAt);
        Assert.True(family.IdleExpiresAt > family.AbsoluteExpiresAt);

        Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, family.Generation, family.AbsoluteExpiresAt.AddTicks(-1)));
        Assert.Equal(RefreshTokenUse.Expired, family.CheckUse(ClientId, family.Generation, family.AbsoluteExpiresAt));
        Assert.False(family.IsActive(family.AbsoluteExpiresAt));
    }

    [Fact]
    public void CheckUse_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => Family().CheckUse(ClientId, 1, Now.ToOffset(TimeSpan.FromHours(-3))));

    // ---- Rotate ----

    [Fact]
    public void Rotate_issues_the_next_generation_and_extends_the_idle_window()
    {
        var family = Family();
        var at = Now.AddMinutes(45);

        var next = family.Rotate(1, Hash(2), at);

        Assert.Equal(2, family.Generation);
        Assert.Equal(2, next.Generation);
        Assert.Equal(Hash(2), next.TokenHash);
        Assert.Equal(FamilyId, next.FamilyId);
        Assert.Equal(at, next.IssuedAt);
        Assert.Equal(at, family.LastUsedAt);
        Assert.Equal(at + Idle, family.IdleExpiresAt);
        Assert.Equal(Now + Absolute, family.AbsoluteExpiresAt);
        Assert.Equal(Now, family.CreatedAt);
    }

    [Fact]
    public void Rotate_keeps_the_family_alive_past_the_first_idle_window()
    {
        var family = Family();
        family.Rotate(1, Hash(2), Now.AddMinutes(45));

        Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, 2, Now + Idle));
        Assert.True(family.IsActive(Now + Idle));
        Assert.Equal(RefreshTokenUse.Expired, family.CheckUse(ClientId, 2, Now.AddMinutes(45) + Idle));
    }

    [Fact]
    public void Rotate_makes_the_presented_token_a_reused_one()
    {
        var family = Family();

        family.Rotate(1, Hash(2), Now.AddMinutes(1));

        Assert.Equal(RefreshTokenUse.Reused, family.CheckUse(ClientId, 1, Now.AddMinutes(2)));
        Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, 2, Now.AddMinutes(2)));
    }

    [Fact]
    public void Rotate_twice_within_the_same_instant_gives_distinct_generations()
    {
        var family = Family();
        var at = Now.AddMinutes(1);

        var second = family.Rotate(1, Hash(2), at);
        var third = family.Rotate(2, Hash(3), at);

        Assert.Equal(2, second.Generation);
        Assert.Equal(3, third.Generation);
        Assert.Equal(RefreshTokenUse.Reused, family.CheckUse(ClientId, 2, at));
        Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, 3, at));
    }

    [Fact]
    public void Rotate_of_an_old_generation_is_refused_and_changes_nothing()
    {
        var family = Family();
        family.Rotate(1, Hash(2), Now.AddMinutes(1));

        AssertRefused("refresh_token", () => family.Rotate(1, Hash(3), Now.AddMinutes(2)));

        Assert.Equal(2, family.Generation);
        Assert.Equal(Now.AddMinutes(1), family.LastUsedAt);
    }

    [Fact]
    public void Rotate_of_a_future_generation_is_refused() =>
        AssertRefused("refresh_token", () => Family().Rotate(2, Hash(3), Now.AddMinutes(1)));

    [Fact]
    public void Rotate_after_revocation_is_refused()
    {
        var family = Family();
        family.Revoke("revoked_by_client", Now.AddMinutes(1));

        AssertRefused("refresh_token", () => family.Rotate(1, Hash(2), Now.AddMinutes(2)));

        Assert.Equal(1, family.Generation);
        Assert.Equal(Now, family.LastUsedAt);
    }

    [Fact]
    public void Rotate_at_the_idle_expiry_is_refused()
    {
        var family = Family();

        AssertRefused("refresh_token", () => family.Rotate(1, Hash(2), Now + Idle));

        Assert.Equal(1, family.Generation);
        Assert.Equal(Now, family.LastUsedAt);
    }

    [Fact]
    public void Rotate_one_tick_before_the_idle_expiry_is_accepted() =>
        Assert.Equal(2, Family().Rotate(1, Hash(2), Now + Idle - TimeSpan.FromTicks(1)).Generation);

    [Fact]
    public void Rotate_with_non_utc_now_is_refused()
    {
        var family = Family();

        AssertRefused("now", () => family.Rotate(1, Hash(2), Now.AddMinutes(1).ToOffset(TimeSpan.FromHours(2))));

        Assert.Equal(1, family.Generation);
    }

    [Fact]
    public void Rotate_with_a_malformed_token_hash_is_refused_and_leaves_the_family_unchanged()
    {
        var family = Family();

        AssertRefused("refresh_token", () => family.Rotate(1, "not-a-hash", Now.AddMinutes(1)));

        // A refused rotation must not consume the current token: it is still generation 1 and still usable.
        Assert.Equal(1, family.Generation);
        Assert.Equal(Now, family.LastUsedAt);
        Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, 1, Now.AddMinutes(2)));
    }

    [Fact]
    public void The_absolute_lifetime_ends_the_family_even_when_refreshed_continuously()
    {
        var family = Family();
        var step = Idle / 2;
        var at = Now + step;
        var generation = 1;
        while (at < family.AbsoluteExpiresAt)
        {
            Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, generation, at));
            var next = family.Rotate(generation, Hash(generation + 1), at);
            generation = next.Generation;
            at += step;
        }

        // Rotated every 30 minutes for 8 hours: the idle window is still open, the absolute one is not.
        Assert.Equal(16, generation);
        Assert.Equal(Now + Absolute, at);
        Assert.True(at < family.IdleExpiresAt);
        Assert.Equal(RefreshTokenUse.Expired, family.CheckUse(ClientId, generation, at));
        Assert.False(family.IsActive(at));
        AssertRefused("refresh_token", () => family.Rotate(generation, Hash(generation + 1), at));
        Assert.Equal(16, family.Generation);
    }

    // ---- Revoke ----

    [Fact]
    public void Revoke_ends_the_family_and_raises_RefreshTokenFamilyRevoked_with_the_reason()
    {
        var family = Family();
        var at = Now.AddMinutes(5);

        Assert.True(family.Revoke("reuse", at));

        Assert.Equal(at, family.RevokedAt);
        Assert.Equal("reuse", family.RevocationReason);
        Assert.False(family.IsActive(at));
        var revoked = Assert.IsType<RefreshTokenFamilyRevoked>(Assert.Single(family.DomainEvents));
        Assert.Equal(FamilyId, revoked.FamilyId);
        Assert.Equal(ClientId, revoked.ClientId);
        Assert.Equal(UserId, revoked.UserId);
        Assert.Equal("reuse", revoked.Reason);
        Assert.Equal(at, revoked.OccurredAt);
    }

    [Fact]
    public void Revoke_twice_returns_false_and_keeps_the_first_reason()
    {
        var family = Family();
        family.Revoke("reuse", Now.AddMinutes(5));

        Assert.False(family.Revoke("user_logout", Now.AddMinutes(6)));

        Assert.Equal(Now.AddMinutes(5), family.RevokedAt);
        Assert.Equal("reuse", family.RevocationReason);
        Assert.Equal("reuse", Assert.IsType<RefreshTokenFamilyRevoked>(Assert.Single(family.DomainEvents)).Reason);
    }

    [Fact]
    public void Revoke_an_expired_family_is_still_recorded()
    {
        var family = Family();

        Assert.True(family.Revoke("code_replay", Now.AddDays(2)));
        Assert.Equal("code_replay", family.RevocationReason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Revoke_without_reason_is_refused(string? reason)
    {
        var family = Family();

        AssertRefused("reason", () => family.Revoke(reason!, Now.AddMinutes(1)));

        Assert.Null(family.RevokedAt);
        Assert.Empty(family.DomainEvents);
    }

    [Fact]
    public void Revoke_with_a_reason_over_100_characters_is_refused()
    {
        var family = Family();

        AssertRefused("reason", () => family.Revoke(new string('r', 101), Now.AddMinutes(1)));

        Assert.Null(family.RevokedAt);
        Assert.True(family.IsActive(Now.AddMinutes(1)));
    }

    [Fact]
    public void Revoke_with_a_reason_of_100_characters_is_accepted()
    {
        var family = Family();

        Assert.True(family.Revoke(new string('r', 100), Now.AddMinutes(1)));
        Assert.Equal(100, family.RevocationReason!.Length);
    }

    [Fact]
    public void Revoke_with_non_utc_now_is_refused()
    {
        var family = Family();

        AssertRefused("now", () => family.Revoke("reuse", Now.ToOffset(TimeSpan.FromHours(9))));

        Assert.Null(family.RevokedAt);
    }

    // ---- RecordAccessToken ----

    [Fact]
    public void RecordAccessToken_keeps_the_latest_expiry_only()
    {
        var family = Family();

        family.RecordAccessToken(Now.AddMinutes(10));
        family.RecordAccessToken(Now.AddMinutes(5));

        Assert.Equal(Now.AddMinutes(10), family.AccessTokensExpireAt);

        family.RecordAccessToken(Now.AddMinutes(20));

        Assert.Equal(Now.AddMinutes(20), family.AccessTokensExpireAt);
    }

    [Fact]
    public void RecordAccessToken_refuses_a_local_time_and_keeps_the_previous_expiry()
    {
        var family = Family();
        family.RecordAccessToken(Now.AddMinutes(5));

        AssertRefused("exp", () => family.RecordAccessToken(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.FromHours(2))));

        Assert.Equal(Now.AddMinutes(5), family.AccessTokensExpireAt);
    }

    // ---- AccessTokenKey ----

    [Fact]
    public void AccessTokenKey_is_a_stable_128_bit_base64url_value_per_family_that_does_not_show_the_id()
    {
        var family = Family();
        var other = RefreshTokenFamily.KeyOf(Guid.NewGuid());

        Assert.Equal(family.AccessTokenKey, RefreshTokenFamily.KeyOf(FamilyId));
        Assert.Equal(22, family.AccessTokenKey.Length);
        Assert.Matches("^[A-Za-z0-9_-]{22}$", family.AccessTokenKey);
        Assert.NotEqual(family.AccessTokenKey, other);
        Assert.DoesNotContain(FamilyId.ToString("N")[..8], family.AccessTokenKey, StringComparison.OrdinalIgnoreCase);
    }

    // ---- IsActive ----

    [Fact]
    public void IsActive_until_the_idle_expiry()
    {
        var family = Family();

        Assert.True(family.IsActive(Now));
        Assert.True(family.IsActive(Now + Idle - TimeSpan.FromTicks(1)));
        Assert.False(family.IsActive(Now + Idle));
    }

    [Fact]
    public void A_family_bound_to_a_certificate_accepts_only_that_certificate()
    {
        var (family, _) = RefreshTokenFamily.Start(FamilyId, Hash(1), Grant() with { BoundCertificateThumbprint = "thumbprint-a" }, Lifetimes, Now);

        Assert.True(family.AcceptsCertificate("thumbprint-a"));
        Assert.False(family.AcceptsCertificate("thumbprint-b"));
        Assert.False(family.AcceptsCertificate(null));
    }

    [Fact]
    public void An_unbound_family_accepts_any_certificate_or_none()
    {
        var family = Family();

        Assert.Null(family.BoundCertificateThumbprint);
        Assert.True(family.AcceptsCertificate(null));
        Assert.True(family.AcceptsCertificate("thumbprint-a"));
    }

    // ---- DPoP binding (RFC 9449 §5) ----

    private const string Jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    private static RefreshTokenFamily BoundFamily()
    {
        var family = RefreshTokenFamily.Start(FamilyId, Hash(1), Grant() with { BoundJkt = Jkt }, Lifetimes, Now).Family;
        family.ClearDomainEvents();
        return family;
    }

    [Fact]
    public void CheckRefresh_of_a_bound_family_with_its_key_is_Current() =>
        Assert.Equal(RefreshTokenUse.Current, BoundFamily().CheckRefresh(ClientId, 1, Jkt, Now.AddMinutes(1)));

    [Theory]
    [InlineData("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")]
    [InlineData(null)]
    public void CheckRefresh_of_a_bound_family_with_another_key_or_none_is_WrongKey(string? proofJkt) =>
        Assert.Equal(RefreshTokenUse.WrongKey, BoundFamily().CheckRefresh(ClientId, 1, proofJkt, Now.AddMinutes(1)));

    [Fact]
    public void CheckRefresh_with_another_certificate_wins_over_reuse_so_a_thief_without_the_certificate_cannot_revoke()
    {
        var (family, _) = RefreshTokenFamily.Start(FamilyId, Hash(1), Grant() with { BoundCertificateThumbprint = "thumbprint-a" }, Lifetimes, Now);
        family.Rotate(1, Hash(2), Now.AddMinutes(1));

        Assert.Equal(RefreshTokenUse.WrongKey, family.CheckRefresh(ClientId, 1, proofJkt: null, Now.AddMinutes(2), certificateThumbprint: "thumbprint-b"));
        Assert.Equal(RefreshTokenUse.WrongKey, family.CheckRefresh(ClientId, 2, proofJkt: null, Now.AddMinutes(2)));
        Assert.Equal(RefreshTokenUse.Current, family.CheckRefresh(ClientId, 2, proofJkt: null, Now.AddMinutes(2), certificateThumbprint: "thumbprint-a"));
        Assert.Equal(RefreshTokenUse.Reused, family.CheckRefresh(ClientId, 1, proofJkt: null, Now.AddMinutes(2), certificateThumbprint: "thumbprint-a"));
    }

    [Fact]
    public void CheckRefresh_with_another_key_wins_over_reuse_so_a_thief_without_the_key_cannot_revoke()
    {
        var family = BoundFamily();
        family.Rotate(1, Hash(2), Now.AddMinutes(1));

        Assert.Equal(RefreshTokenUse.WrongKey, family.CheckRefresh(ClientId, 1, proofJkt: null, Now.AddMinutes(2)));
        Assert.Equal(RefreshTokenUse.Reused, family.CheckRefresh(ClientId, 1, Jkt, Now.AddMinutes(2)));
    }

    [Fact]
    public void CheckRefresh_of_another_client_is_WrongClient_before_the_key() =>
        Assert.Equal(RefreshTokenUse.WrongClient, BoundFamily().CheckRefresh("other", 1, Jkt, Now.AddMinutes(1)));

    [Fact]
    public void CheckRefresh_of_an_unbound_family_ignores_the_proof_key() =>
        Assert.Equal(RefreshTokenUse.Current, Family().CheckRefresh(ClientId, 1, Jkt, Now.AddMinutes(1)));
}
