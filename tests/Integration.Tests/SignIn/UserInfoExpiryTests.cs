using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// ASVS 9.2.1 at UserInfo: an access token is accepted up to the second before its <c>exp</c> and
/// refused from that second on (the issuer's own clock, no skew). The server runs on a
/// <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class UserInfoExpiryTests
{
    [Fact]
    public async Task An_access_token_works_until_the_second_before_exp_and_is_401_invalid_token_from_exp_on()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, seedJson: SignInClients.SeedJson());
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid profile");
        var expires = DateTimeOffset.FromUnixTimeSeconds(Jose.Payload(tokens.AccessToken)["exp"]!.GetValue<long>());

        server.Clock.SetUtcNow(expires - TimeSpan.FromSeconds(1));
        using (var before = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken))
        {
            Assert.Equal(tokens.IdTokenSubject, (await EndSessionFlows.UserInfoClaimsAsync(before)).GetProperty("sub").GetString());
        }

        server.Clock.SetUtcNow(expires);
        using var after = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        await EndSessionFlows.AssertBearerErrorAsync(after, HttpStatusCode.Unauthorized, "invalid_token", "an access token at its exp");
    }
}
