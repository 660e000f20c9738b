using AuthService.Domain.Clients;

namespace AuthService.Domain.Tests.Clients;

/// <summary>The FAPI 2.0 Security Profile's request-time rules as <see cref="ClientProfiles"/> derives them from a client's profile.</summary>
public class ClientProfileRulesTests
{
    [Fact]
    public void Only_fapi2_clients_keep_their_refresh_tokens()
    {
        Assert.False(ClientProfiles.RotatesRefreshTokens(ClientProfiles.Fapi2));
        Assert.True(ClientProfiles.RotatesRefreshTokens(null));
    }

    [Theory]
    [InlineData(600, 60)]
    [InlineData(61, 60)]
    [InlineData(60, 60)]
    [InlineData(30, 30)]
    public void A_fapi2_clients_codes_live_at_most_60_seconds(int serverWideSeconds, int expectedSeconds)
    {
        var serverWide = TimeSpan.FromSeconds(serverWideSeconds);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), ClientProfiles.CodeLifetime(ClientProfiles.Fapi2, serverWide));
        Assert.Equal(serverWide, ClientProfiles.CodeLifetime(null, serverWide));
    }

    [Theory]
    [InlineData(600, 599)]
    [InlineData(599, 599)]
    [InlineData(60, 60)]
    public void A_fapi2_clients_pushed_requests_expire_in_less_than_600_seconds(int serverWideSeconds, int expectedSeconds)
    {
        var serverWide = TimeSpan.FromSeconds(serverWideSeconds);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), ClientProfiles.PushedRequestLifetime(ClientProfiles.Fapi2, serverWide));
        Assert.Equal(serverWide, ClientProfiles.PushedRequestLifetime(null, serverWide));
    }

    [Fact]
    public void Fapi2_requires_pushed_requests_and_sender_constrained_tokens()
    {
        Assert.True(ClientProfiles.RequiresPushedRequests(ClientProfiles.Fapi2));
        Assert.True(ClientProfiles.RequiresSenderConstrainedTokens(ClientProfiles.Fapi2));
        Assert.False(ClientProfiles.RequiresPushedRequests(null));
        Assert.False(ClientProfiles.RequiresSenderConstrainedTokens(null));
    }
}
