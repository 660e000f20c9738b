using System.Net;
using AuthService.Integration.Tests.Account;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// Verifying an address by a link sent to it (ASVS 6.4): asked for on the account page, sent after a change of address,
/// or by an administrator; the link verifies only the address it was sent to, and only once.
/// </summary>
public sealed class EmailVerificationTests(EmailFixture server) : IClassFixture<EmailFixture>
{
    private const string Subject = "Confirm your e-mail address";

    [Fact]
    public async Task The_account_page_sends_a_link_that_verifies_the_address_once()
    {
        using var admin = await server.AdminAsync();
        var (username, email, userId) = await server.NewUserAsync("verify");
        using var browser = server.NewBrowser();
        var page = await AccountAppsTests.SignInToAccountAsync(browser, username, UserAdmin.Password);
        Assert.Contains("Send verification e-mail", page, StringComparison.Ordinal);

        using var sent = await AccountPageTesting.PostAsync(browser, page, "/account/email/verification");
        await AccountPageTesting.AssertDoneAsync(browser, sent, "verification-sent");
        var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, Subject));

        var form = await OpenLinkAsync(browser, link);
        Assert.False((await admin.GetUserAsync(userId)).User.GetProperty("email_verified").GetBoolean()); // a GET verifies nothing
        using var confirmed = await browser.SubmitAsync(form, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("E-mail address verified", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await admin.GetUserAsync(userId)).User.GetProperty("email_verified").GetBoolean());
        Assert.DoesNotContain("Send verification e-mail", await AccountPageTesting.AccountPageAsync(browser), StringComparison.Ordinal);

        using var again = await browser.SubmitAsync(form, new Dictionary<string, string>());
        await AssertRefusedAsync(again, "already been used");
    }

    [Fact]
    public async Task A_new_address_gets_a_link_and_a_link_to_the_old_address_no_longer_works()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("change");
        var oldEmail = username + "@old.example";
        var newEmail = username + "@new.example";
        var user = await admin.CreateAsync(username, email: oldEmail);
        using var sent = await admin.PostAsync($"/admin/users/{user.Id()}/email-verification", null);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var oldLink = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(oldEmail, Subject));

        using var browser = server.NewBrowser();
        var page = await AccountAppsTests.SignInToAccountAsync(browser, username, UserAdmin.Password);
        using var saved = await AccountPageTesting.PostAsync(browser, page, "/account/profile", ("name", "Changed"), ("email", newEmail));
        await AccountPageTesting.AssertDoneAsync(browser, saved, "profile-saved-unverified");
        var newLink = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(newEmail, Subject));

        using var stale = await browser.GetAsync(oldLink);
        await AssertRefusedAsync(stale, "not valid");
        using var confirmed = await browser.SubmitAsync(await OpenLinkAsync(browser, newLink), new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var (after, _) = await admin.GetUserAsync(user.Id());
        Assert.Equal(newEmail, after.GetProperty("email").GetString());
        Assert.True(after.GetProperty("email_verified").GetBoolean());
    }

    [Fact]
    public async Task The_admin_endpoint_refuses_a_verified_address_and_an_unknown_user()
    {
        using var admin = await server.AdminAsync();
        var user = await admin.CreateAsync(UserAdmin.NewUsername("noaddr"));

        using var noAddress = await admin.PostAsync($"/admin/users/{user.Id()}/email-verification", null);
        using var unknown = await admin.PostAsync($"/admin/users/{Guid.NewGuid()}/email-verification", null);

        Assert.Equal(HttpStatusCode.BadRequest, noAddress.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_reset_link_is_not_accepted_as_a_verification_link()
    {
        var (_, email, _) = await server.NewUserAsync("purpose");
        using var browser = server.NewBrowser();
        var resetLink = await server.ResetLinkAsync(browser, email);

        using var response = await browser.GetAsync(resetLink.Replace("/account/reset-password", "/account/verify-email", StringComparison.Ordinal));

        await AssertRefusedAsync(response, "not valid");
    }
}
