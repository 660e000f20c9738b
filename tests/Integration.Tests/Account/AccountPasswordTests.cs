using System.Net;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.Account.AccountPageTesting;

namespace AuthService.Integration.Tests.Account;

/// <summary>
/// Changing the password on the account page (ASVS 6.2.3, 7.4.3): the current password first (a wrong one counts toward
/// the lockout); on success every other session and refresh-token family ends, while this browser continues under a new
/// session handle (ASVS 7.2.4).
/// </summary>
public sealed class AccountPasswordTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    private const string PasswordPath = "/account/password";
    private const string NewPassword = "a-brand-new-password-42";

    [Fact]
    public async Task A_change_ends_the_other_sessions_and_refresh_tokens_and_this_browser_continues_with_a_new_handle()
    {
        var (phone, phoneJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = phone;
        var phoneTokens = await EndSessionFlows.SignInAsync(phone, phoneJar, server.Client, "openid offline_access", username: "m01", password: AuthorizeSeed.Password);
        var (laptop, laptopJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var __ = laptop;
        var page = await AccountAppsTests.SignInToAccountAsync(laptop, "m01");
        var oldHandle = laptopJar.Cookies[AuthorizeSeed.SessionCookie];

        using var response = await PostAsync(laptop, page, PasswordPath,
            ("current_password", AuthorizeSeed.Password), ("new_password", NewPassword), ("confirm_password", NewPassword));
        await AssertDoneAsync(laptop, response, "password-changed");

        Assert.NotEqual(oldHandle, laptopJar.Cookies[AuthorizeSeed.SessionCookie]);
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, phoneTokens.RefreshToken!, "the password changed");
        using var phonePage = await phone.GetAsync(AccountPath);
        Assert.Equal(HttpStatusCode.SeeOther, phonePage.StatusCode);

        // The old handle is dead: a browser replaying it is not signed in.
        using var raw = server.NewRawClient();
        using var replay = new HttpRequestMessage(HttpMethod.Get, AccountPath);
        replay.Headers.Add("Cookie", $"{AuthorizeSeed.SessionCookie}={oldHandle}");
        using var replayed = await raw.SendAsync(replay);
        Assert.Equal(HttpStatusCode.SeeOther, replayed.StatusCode);

        using var fresh = server.NewBrowser();
        var login = await AuthorizeTesting.AssertLoginPageAsync(await fresh.FollowAsync(await fresh.GetAsync(AccountPath)));
        using var signedIn = await fresh.SignInAsync(login, "m01", NewPassword);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/account?status=signed-in", signedIn.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("wrong-current-password", NewPassword, NewPassword, "current password is not correct")]
    [InlineData(AuthorizeSeed.Password, NewPassword, "another-new-password", "not the same")]
    [InlineData(AuthorizeSeed.Password, "short", "short", "at least 8 characters")]
    public async Task A_refused_change_re_renders_the_form_and_keeps_the_password(string current, string next, string confirm, string message)
    {
        using var browser = server.NewBrowser();
        var page = await AccountAppsTests.SignInToAccountAsync(browser, "m02");

        using var response = await PostAsync(browser, page, PasswordPath, ("current_password", current), ("new_password", next), ("confirm_password", confirm));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"current_password\">", html, StringComparison.Ordinal);
        await AccountPageAsync(browser);
        using var other = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(other, "m02"); // the old password still works
    }

    [Fact] // ASVS 6.1.1: wrong current passwords count toward the account's lockout, which ends the session too.
    public async Task Wrong_current_passwords_lock_the_account()
    {
        using var browser = server.NewBrowser();
        var page = await AccountAppsTests.SignInToAccountAsync(browser, "m03");

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var response = await PostAsync(browser, page, PasswordPath,
                ("current_password", "wrong-" + attempt), ("new_password", NewPassword), ("confirm_password", NewPassword));
            Assert.NotEqual(HttpStatusCode.SeeOther, response.StatusCode);
        }

        using var locked = await browser.GetAsync(AccountPath);
        Assert.Equal(HttpStatusCode.SeeOther, locked.StatusCode);
        using var fresh = server.NewBrowser();
        var login = await AuthorizeTesting.AssertLoginPageAsync(await fresh.FollowAsync(await fresh.GetAsync(AccountPath)));
        using var refused = await fresh.SignInAsync(login, "m03", AuthorizeSeed.Password);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
