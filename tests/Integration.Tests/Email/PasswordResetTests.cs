using System.Net;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// The password reset by e-mail, over a real SMTP server: the message arrives, its link works once, the reset ends every
/// session and refresh token, and the answer never tells whether an address has an account (ASVS 6.3.8).
/// </summary>
public sealed class PasswordResetTests(EmailFixture server) : IClassFixture<EmailFixture>
{
    private const string NewPassword = "a-reset-password-0123";

    [Fact]
    public async Task The_link_arrives_works_once_and_the_reset_ends_every_session_and_refresh_token()
    {
        var (username, email, userId) = await server.NewUserAsync("reset");
        var (phone, tokens) = await UserAdmin.SignInAsync(server, username);
        using var _ = phone;

        using var browser = server.NewBrowser();
        using var asked = await AskForResetAsync(browser, email);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("If an account uses this address", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var message = await server.Smtp.MessageToAsync(email, "Reset your password");
        Assert.Equal("no-reply@auth.example", message.From.Mailboxes.Single().Address);
        Assert.NotNull(message.HtmlBody);
        var link = SmtpSink.LinkOf(message);
        Assert.StartsWith("https://", link, StringComparison.Ordinal);
        Assert.Contains("/account/reset-password?token=", link, StringComparison.Ordinal);

        // Opening the link twice does not use it up; posting the form does.
        await OpenLinkAsync(browser, link);
        var form = await OpenLinkAsync(browser, link);
        using var reset = await browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = NewPassword, ["confirm_password"] = NewPassword });
        var done = await reset.Content.ReadAsStringAsync();
        Assert.True(reset.StatusCode == HttpStatusCode.OK, done);
        Assert.Contains("Password changed", done, StringComparison.Ordinal);

        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "the password was reset");
        await UserAdmin.AssertSignInFailsAsync(server, username, UserAdmin.Password);
        var (again, _) = await UserAdmin.SignInAsync(server, username, NewPassword);
        again.Dispose();

        // Reused: the GET and the POST both refuse it.
        using var reopened = await browser.GetAsync(link);
        await AssertRefusedAsync(reopened, "already been used");
        using var reposted = await browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = "yet-another-password-1", ["confirm_password"] = "yet-another-password-1" });
        await AssertRefusedAsync(reposted, "already been used");

        // The admin API shows the delivery, never the link.
        var listed = await Poll.UntilAsync(() => server.EmailsAsync(userId), l => l.Count == 1 && l[0].GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(30), "the reset message delivered", l => string.Join(", ", l));
        Assert.Equal("password_reset", listed[0].GetProperty("purpose").GetString());
        Assert.DoesNotContain("token", listed[0].ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Two_racing_uses_of_one_link_let_exactly_one_win()
    {
        var (_, email, _) = await server.NewUserAsync("race");
        using var browser = server.NewBrowser();
        var form = await OpenLinkAsync(browser, await server.ResetLinkAsync(browser, email));

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var response = await browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = $"racing-password-{i}-0123", ["confirm_password"] = $"racing-password-{i}-0123" });
            return response.StatusCode;
        }));

        Assert.Equal(1, attempts.Count(s => s == HttpStatusCode.OK));
        Assert.All(attempts.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.BadRequest, s));
    }

    [Fact]
    public async Task The_answer_is_the_same_whether_or_not_the_address_has_an_account()
    {
        await AssertSameAnswerAsync(server, "enum", AskForResetAsync, "Reset your password");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_link_is_a_clear_400(string token)
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync("/account/reset-password?token=" + token);

        await AssertRefusedAsync(response, "not valid");
    }

    [Fact]
    public async Task A_refused_new_password_keeps_the_link_usable()
    {
        var (_, email, _) = await server.NewUserAsync("typo");
        using var browser = server.NewBrowser();
        var form = await OpenLinkAsync(browser, await server.ResetLinkAsync(browser, email));

        using var mismatch = await browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = NewPassword, ["confirm_password"] = NewPassword + "x" });
        var again = await mismatch.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains("not the same", again, StringComparison.Ordinal);

        using var fixedUp = await browser.SubmitAsync(again, new Dictionary<string, string> { ["new_password"] = NewPassword, ["confirm_password"] = NewPassword });
        Assert.Equal(HttpStatusCode.OK, fixedUp.StatusCode);
    }

    [Fact]
    public async Task Every_sign_in_form_links_to_the_reset_without_a_return_url()
    {
        using var browser = server.NewBrowser();
        var userCode = await server.UserCodeAsync();
        foreach (var path in new[] { "/account/signin", "/device?user_code=" + Uri.EscapeDataString(userCode),
                     Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()) })
        {
            using var response = await browser.FollowAsync(await browser.GetAsync(path));
            var html = await response.Content.ReadAsStringAsync();

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
            Assert.Contains("name=\"password\"", html, StringComparison.Ordinal);
            Assert.Contains("<a href=\"/account/forgot-password\">Forgot your password?</a>", html, StringComparison.Ordinal);
        }
    }
}
