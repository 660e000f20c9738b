using AuthService.Domain.Clients;
using AuthService.Domain.Clients.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

/// <summary>The operator's per-client token rate limit (docs/adr/0043): positive, bounded, and never the client's own choice.</summary>
public class ClientTokenRateLimitTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(ClientSettings.MaxTokenRateLimit + 1)]
    public void A_limit_that_is_not_positive_or_above_the_ceiling_is_refused(int permitsPerSecond)
    {
        AssertRefused("token_rate_limit", () => Client.Register("svc", Confidential() with { TokenRateLimit = permitsPerSecond }, Secret(), Now));

        var client = RegisterConfidential();
        AssertRefused("token_rate_limit", () => client.UpdateSettings(Confidential() with { TokenRateLimit = permitsPerSecond }, Later));
        Assert.Null(client.TokenRateLimit);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ClientSettings.MaxTokenRateLimit)]
    public void A_limit_within_bounds_is_kept(int permitsPerSecond)
    {
        var client = Client.Register("svc", Confidential() with { TokenRateLimit = permitsPerSecond }, Secret(), Now);

        Assert.Equal(permitsPerSecond, client.TokenRateLimit);
    }

    [Fact]
    public void Setting_and_clearing_the_limit_is_a_reconfiguration()
    {
        var client = RegisterConfidential();
        client.ClearDomainEvents();

        Assert.True(client.UpdateSettings(Confidential() with { TokenRateLimit = 50 }, Later));
        Assert.Equal(50, client.TokenRateLimit);
        Assert.IsType<ClientReconfigured>(Assert.Single(client.DomainEvents));

        Assert.False(client.UpdateSettings(Confidential() with { TokenRateLimit = 50 }, Later));
        Assert.True(client.UpdateSettings(Confidential(), Later.AddMinutes(1)));
        Assert.Null(client.TokenRateLimit);
    }

    [Fact]
    public void A_dynamic_client_cannot_choose_its_limit_at_registration()
    {
        AssertRefused("token_rate_limit", () => Client.RegisterDynamically(
            "dyn", Public() with { TokenRateLimit = 100 }, secret: null, SecretHash.Compute("registration-access-token-0123456789"), Now));
    }

    [Fact]
    public void A_dynamic_client_replacing_its_registration_keeps_the_operators_limit()
    {
        var client = Client.RegisterDynamically("dyn", Public(), secret: null, SecretHash.Compute("registration-access-token-0123456789"), Now);
        client.UpdateSettings(Public() with { TokenRateLimit = 5 }, Later);

        client.ReplaceRegistration(Public() with { ClientName = "renamed" }, SecretHash.Compute("registration-access-token-abcdefghij"), Later.AddMinutes(1));

        Assert.Equal("renamed", client.ClientName);
        Assert.Equal(5, client.TokenRateLimit);
    }
}
