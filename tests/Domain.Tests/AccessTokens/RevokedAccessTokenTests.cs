using AuthService.Domain.AccessTokens;
using AuthService.Domain.AccessTokens.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.AccessTokens;

public class RevokedAccessTokenTests
{
    private static readonly DateTimeOffset Expiry = Now.AddMinutes(10);

    [Fact]
    public void Record_sets_the_fields_and_raises_AccessTokenRevoked_with_the_jti_and_client_id()
    {
        var revoked = RevokedAccessToken.Record("jti-1", "svc", Expiry, Now);

        Assert.Equal("jti-1", revoked.JwtId);
        Assert.Equal("svc", revoked.ClientId);
        Assert.Equal(Expiry, revoked.ExpiresAt);
        Assert.Equal(Now, revoked.RevokedAt);
        var raised = Assert.IsType<AccessTokenRevoked>(Assert.Single(revoked.DomainEvents));
        Assert.Equal(("jti-1", "svc", Now), (raised.JwtId, raised.ClientId, raised.OccurredAt));
    }

    [Fact]
    public void Record_with_a_jti_of_100_characters_is_accepted() =>
        Assert.Equal(new string('j', 100), RevokedAccessToken.Record(new string('j', 100), "svc", Expiry, Now).JwtId);

    [Fact]
    public void Record_without_jti_is_refused() =>
        AssertRefused("jti", () => RevokedAccessToken.Record(string.Empty, "svc", Expiry, Now));

    [Fact]
    public void Record_with_jti_over_100_characters_is_refused() =>
        AssertRefused("jti", () => RevokedAccessToken.Record(new string('j', 101), "svc", Expiry, Now));

    [Fact]
    public void Record_without_client_id_is_refused() =>
        AssertRefused("client_id", () => RevokedAccessToken.Record("jti-1", string.Empty, Expiry, Now));

    [Fact]
    public void Record_of_a_token_expiring_now_is_refused() =>
        AssertRefused("exp", () => RevokedAccessToken.Record("jti-1", "svc", Now, Now));

    [Fact]
    public void Record_of_an_expired_token_is_refused() =>
        AssertRefused("exp", () => RevokedAccessToken.Record("jti-1", "svc", Now.AddTicks(-1), Now));

    [Fact]
    public void Record_with_non_utc_now_is_refused() =>
        AssertRefused("now", () => RevokedAccessToken.Record("jti-1", "svc", Expiry, Now.ToOffset(TimeSpan.FromHours(1))));

    [Fact]
    public void Record_with_non_utc_expiry_is_refused()
    {
        var refused = AssertRefused("exp", () => RevokedAccessToken.Record("jti-1", "svc", Expiry.ToOffset(TimeSpan.FromHours(-4)), Now));

        Assert.Contains("UTC", refused.Message, StringComparison.Ordinal);
    }
}
