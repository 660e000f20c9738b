using AuthService.Domain.Common;
using AuthService.Domain.Registration;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Registration;

public class InitialAccessTokenTests
{
    private static InitialAccessToken Issue(int? maxUses = null) => InitialAccessToken.Issue("hash", Now.AddHours(1), maxUses, Now);

    [Fact]
    public void A_token_is_usable_until_it_expires()
    {
        var token = Issue();

        Assert.True(token.Use(Now.AddMinutes(59)));
        Assert.False(token.Use(Now.AddHours(1)));
        Assert.Equal(1, token.Uses);
    }

    [Fact]
    public void A_token_with_max_uses_is_used_up_after_that_many_registrations()
    {
        var token = Issue(maxUses: 2);

        Assert.True(token.Use(Now));
        Assert.True(token.Use(Now));
        Assert.False(token.Use(Now));
        Assert.Equal(2, token.Uses);
        Assert.False(token.IsUsableAt(Now));
    }

    [Fact]
    public void A_revoked_token_is_refused_and_revoking_twice_changes_nothing()
    {
        var token = Issue();

        Assert.True(token.Revoke(Now));
        Assert.False(token.Revoke(Now.AddMinutes(1)));
        Assert.Equal(Now, token.RevokedAt);
        Assert.False(token.Use(Now));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(-60, null)]
    [InlineData(60, 0)]
    public void Issue_refuses_a_past_expiry_and_a_max_uses_below_one(int expiresInSeconds, int? maxUses)
    {
        Assert.Throws<DomainRuleViolationException>(() => InitialAccessToken.Issue("hash", Now.AddSeconds(expiresInSeconds), maxUses, Now));
    }

    [Fact]
    public void Issue_refuses_a_lifetime_beyond_a_year()
    {
        Assert.Throws<DomainRuleViolationException>(() => InitialAccessToken.Issue("hash", Now + InitialAccessToken.MaxLifetime + TimeSpan.FromSeconds(1), null, Now));
    }
}
