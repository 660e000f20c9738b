using System.Net;
using AuthService.Application.Seeding.Commands.ApplySeed;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Logout;

/// <summary>
/// The ways a session ends besides logout, admin end, disable, delete and the admin API's password change
/// (<see cref="BackchannelLogoutTests"/>): a new sign-in in the same browser replaces the session, and the seed sets a
/// user's password. Each stores a back-channel notification for the ended session, delivered to client BL.
/// </summary>
public sealed class LogoutTriggerTests(BackchannelLogoutFixture server) : IClassFixture<BackchannelLogoutFixture>
{
    private async Task<(Browser Browser, EndSessionCookieJar Jar, string Sid)> SignedInAsync(string username, string password)
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid",
            BackchannelLogoutFixture.BL, BackchannelLogoutFixture.BLSecret, BackchannelLogoutFixture.BLRedirect, username, password);
        return (browser, jar, Jose.Payload(tokens.IdToken!)["sid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Another_user_signing_in_in_the_same_browser_ends_the_previous_session_and_notifies_its_clients()
    {
        var (browser, _, aliceSid) = await SignedInAsync(SignInClients.AliceUsername, SignInClients.AlicePassword);
        using var __ = browser;

        // prompt=login (OIDC Core §3.1.2.1): the sign-in page despite the session; bob signs in over alice's session.
        var url = Browser.AuthorizeUrl(BackchannelLogoutFixture.BL, BackchannelLogoutFixture.BLRedirect, "openid", PkcePair.New(),
            extra: new Dictionary<string, string> { ["prompt"] = "login" });
        using var response = await browser.AuthorizeAsync(url, SignInClients.BobUsername, SignInClients.BobPassword);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.StartsWith(BackchannelLogoutFixture.BLRedirect + "?code=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);

        var notification = await server.NotificationAsync(aliceSid, "delivered");
        Assert.Equal("replaced_by_sign_in", notification.GetProperty("reason").GetString());
        var received = server.Receiver.Received.Single(r => Jose.Payload(r.Form["logout_token"])["sid"]?.GetValue<string>() == aliceSid);
        var token = Jose.Payload(received.Form["logout_token"]);
        Assert.Equal(notification.GetProperty("subject").GetString(), token["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_session_not_replaced_by_a_sign_in_gets_no_notification()
    {
        var (browser, jar, sid) = await SignedInAsync(SignInClients.AliceUsername, SignInClients.AlicePassword);
        using var _ = browser;

        // A second client in the same session (single sign-on, no sign-in): the session goes on, nothing is queued.
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        await EndSessionFlows.AssertSignedInAsync(browser, "after single sign-on to a second client");
        Assert.DoesNotContain(await server.NotificationsAsync(), n => n.GetProperty("session_id").GetString() == sid);
    }

    [Fact]
    public async Task A_seed_that_sets_a_new_password_ends_the_users_sessions_and_notifies_their_clients()
    {
        var (browser, _, sid) = await SignedInAsync(BackchannelLogoutFixture.Carol, BackchannelLogoutFixture.CarolPassword);
        using var __ = browser;

        // The seed applied again (as at the next start) with another password for carol: a new security stamp.
        using (var scope = server.Factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ApplySeed(new SeedDocument(Clients: null,
                Users: [new SeedUser(BackchannelLogoutFixture.Carol, "carol@example.com", "carol-new-password-0123456", "Carol Example", EmailVerified: null)])));
        }

        var notification = await server.NotificationAsync(sid, "delivered");
        Assert.Equal("password_changed", notification.GetProperty("reason").GetString());
        await EndSessionFlows.AssertSignedOutAsync(browser, "carol's browser after the seed changed the password");
    }
}
