using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// Admin invitations (<c>POST /admin/users/invitations</c>, docs/adr/0036) over a real SMTP server: the invited user has
/// no password until the link is used, the link sets it once and verifies the address.
/// </summary>
public sealed class InvitationTests(EmailFixture server) : IClassFixture<EmailFixture>
{
    private const string Password = "an-invited-password-0123";

    [Fact]
    public async Task The_link_sets_the_password_once_verifies_the_address_and_the_person_signs_in()
    {
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("inv");
        var email = username + "@example.com";
        using var invited = await admin.PostAsJsonAsync("/admin/users/invitations", new { email, name = "Invited Person", username });
        var user = await invited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(invited.StatusCode == HttpStatusCode.Created, user.ToString());
        Assert.False(user.GetProperty("email_verified").GetBoolean());
        await UserAdmin.AssertSignInFailsAsync(server, username, Password);

        var message = await server.Smtp.MessageToAsync(email, "You are invited");
        var link = SmtpSink.LinkOf(message);
        Assert.Contains("/account/accept-invitation?token=", link, StringComparison.Ordinal);

        using var browser = server.NewBrowser();
        var form = await OpenLinkAsync(browser, link);
        Assert.Contains("Choose your password", form, StringComparison.Ordinal);
        using var mismatch = await browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = Password, ["confirm_password"] = Password + "x" });
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        using var set = await browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = Password, ["confirm_password"] = Password });
        var done = await set.Content.ReadAsStringAsync();
        Assert.True(set.StatusCode == HttpStatusCode.OK, done);
        Assert.Contains("Password set", done, StringComparison.Ordinal);
        Assert.True((await admin.GetUserAsync(user.Id())).User.GetProperty("email_verified").GetBoolean());

        var (signedIn, _) = await UserAdmin.SignInAsync(server, username, Password);
        signedIn.Dispose();

        using var reused = await browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = "another-password-012", ["confirm_password"] = "another-password-012" });
        await AssertRefusedAsync(reused, "already been used");
        using var reopened = await browser.GetAsync(link);
        await AssertRefusedAsync(reopened, "already been used");
    }

    [Fact]
    public async Task An_invitation_link_is_not_a_reset_link()
    {
        using var admin = await server.AdminAsync();
        var email = UserAdmin.NewUsername("invr") + "@example.com";
        using var invited = await admin.PostAsJsonAsync("/admin/users/invitations", new { email });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        Assert.Equal(email, (await invited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("username").GetString());
        var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "You are invited"));

        using var browser = server.NewBrowser();
        using var asReset = await browser.GetAsync(link.Replace("/account/accept-invitation", "/account/reset-password", StringComparison.Ordinal));
        await AssertRefusedAsync(asReset, "not valid");
    }

    [Fact]
    public async Task Bad_input_is_a_400_and_a_taken_address_a_409()
    {
        using var admin = await server.AdminAsync();
        var (_, email, _) = await server.NewUserAsync("invdup");

        using var missing = await admin.PostAsJsonAsync("/admin/users/invitations", new { name = "No Address" });
        using var invalid = await admin.PostAsJsonAsync("/admin/users/invitations", new { email = "not-an-address" });
        using var duplicate = await admin.PostAsJsonAsync("/admin/users/invitations", new { email });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType?.MediaType);
    }
}
