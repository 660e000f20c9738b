using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.RefreshTokens;

/// <summary>
/// <see cref="RefreshTokenFamily.Keep"/>: the refresh of a client that must not rotate (FAPI 2.0 Security Profile
/// §5.3.2.1) keeps the token usable and restarts only the idle window; every other rule of the family still holds.
/// </summary>
public class RefreshTokenKeepTests
{
    private const string ClientId = "bank";

    private static readonly TimeSpan Absolute = TimeSpan.FromHours(8);
    private static readonly TimeSpan Idle = TimeSpan.FromHours(1);

    private static RefreshTokenFamily Family(string? boundJkt = null, string? boundCertificate = null) =>
        RefreshTokenFamily.Start(Guid.NewGuid(), OpaqueToken.HashOf("refresh-token-1"),
            new RefreshTokenGrant(ClientId, UserId, Guid.NewGuid(), ["openid", "offline_access"], Now.AddMinutes(-1))
            {
                BoundJkt = boundJkt,
                BoundCertificateThumbprint = boundCertificate,
            },
            new RefreshTokenLifetimes(Absolute, Idle), Now).Family;

    [Fact]
    public void Keep_leaves_the_token_current_and_restarts_the_idle_window()
    {
        var family = Family();
        var at = Now.AddMinutes(45);

        family.Keep(1, at);

        Assert.Equal(1, family.Generation);
        Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, 1, at));
        Assert.Equal(at, family.LastUsedAt);
        Assert.Equal(at + Idle, family.IdleExpiresAt);
        Assert.Equal(Now + Absolute, family.AbsoluteExpiresAt);
    }

    [Fact]
    public void The_same_token_serves_refresh_after_refresh()
    {
        var family = Family();

        for (var minute = 1; minute <= 5; minute++)
        {
            Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, 1, Now.AddMinutes(minute)));
            family.Keep(1, Now.AddMinutes(minute));
        }

        Assert.Equal(1, family.Generation);
    }

    [Fact]
    public void Keep_extends_the_family_past_its_first_idle_window_but_never_past_its_absolute_lifetime()
    {
        var family = Family();
        for (var at = Now.AddMinutes(50); at < Now + Absolute; at = at.AddMinutes(50))
        {
            family.Keep(1, at);
        }

        Assert.Equal(RefreshTokenUse.Current, family.CheckUse(ClientId, 1, Now + Absolute - TimeSpan.FromTicks(1)));
        Assert.Equal(RefreshTokenUse.Expired, family.CheckUse(ClientId, 1, Now + Absolute));
        AssertRefused("refresh_token", () => family.Keep(1, Now + Absolute));
    }

    [Fact]
    public void Keep_after_the_idle_window_is_refused_and_changes_nothing()
    {
        var family = Family();

        AssertRefused("refresh_token", () => family.Keep(1, Now + Idle));

        Assert.Equal(Now, family.LastUsedAt);
        Assert.Equal(RefreshTokenUse.Expired, family.CheckUse(ClientId, 1, Now + Idle));
    }

    [Fact]
    public void Keep_after_revocation_is_refused_and_the_token_stays_revoked()
    {
        var family = Family();
        family.Keep(1, Now.AddMinutes(1));
        family.Revoke("revoked_by_client", Now.AddMinutes(2));

        AssertRefused("refresh_token", () => family.Keep(1, Now.AddMinutes(3)));

        Assert.Equal(RefreshTokenUse.Revoked, family.CheckUse(ClientId, 1, Now.AddMinutes(3)));
    }

    [Fact]
    public void Keep_of_another_generation_is_refused()
    {
        var family = Family();
        family.Rotate(1, OpaqueToken.HashOf("refresh-token-2"), Now.AddMinutes(1));

        AssertRefused("refresh_token", () => family.Keep(1, Now.AddMinutes(2)));
        AssertRefused("refresh_token", () => family.Keep(3, Now.AddMinutes(2)));

        // A token rotated away before the client stopped rotating is still reuse.
        Assert.Equal(RefreshTokenUse.Reused, family.CheckUse(ClientId, 1, Now.AddMinutes(2)));
    }

    [Fact]
    public void A_kept_token_stays_bound_to_its_key_and_certificate()
    {
        var family = Family(boundJkt: "jkt-of-the-client", boundCertificate: "certificate-thumbprint");
        family.Keep(1, Now.AddMinutes(1));

        Assert.Equal(RefreshTokenUse.Current, family.CheckRefresh(ClientId, 1, "jkt-of-the-client", Now.AddMinutes(2), "certificate-thumbprint"));
        Assert.Equal(RefreshTokenUse.WrongKey, family.CheckRefresh(ClientId, 1, "another-jkt", Now.AddMinutes(2), "certificate-thumbprint"));
        Assert.Equal(RefreshTokenUse.WrongKey, family.CheckRefresh(ClientId, 1, "jkt-of-the-client", Now.AddMinutes(2), certificateThumbprint: null));
        Assert.Equal(RefreshTokenUse.WrongClient, family.CheckRefresh("other", 1, "jkt-of-the-client", Now.AddMinutes(2), "certificate-thumbprint"));
    }

    [Fact]
    public void Keep_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => Family().Keep(1, Now.ToOffset(TimeSpan.FromHours(2))));
}
