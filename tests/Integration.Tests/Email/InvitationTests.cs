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

    [Fact]
    public async Task A_resent_invitation_kills_the_earlier_link_and_the_new_one_works_once()
    {
        using var admin = await server.AdminAsync();
        var (id, email) = await InviteAsync(admin, "invre");
        var first = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "You are invited"));

        using var resent = await admin.PostAsync($"/admin/users/{id}/invitation", content: null);
        Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        var second = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "You are invited", skip: 1));
        Assert.NotEqual(first, second);

        using var browser = server.NewBrowser();
        using var old = await browser.GetAsync(first);
        await AssertRefusedAsync(old, "replaced by a newer one");
        var form = await OpenLinkAsync(browser, second);
        using var set = await browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = Password, ["confirm_password"] = Password });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var audited = Assert.Single(await admin.AuditAsync($"subject={id}&event_type=user.invitation_resent"));
        Assert.Equal("1", audited.GetProperty("details").GetProperty("revoked_links").GetString());
        Assert.Equal("admin_client", audited.GetProperty("actor_type").GetString());

        // Accepted: nothing left to re-send or withdraw; the user and the password stay.
        using var again = await admin.PostAsync($"/admin/users/{id}/invitation", content: null);
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "has a password");
        using var withdraw = await admin.DeleteAsync($"/admin/users/{id}/invitation");
        await AssertProblemAsync(withdraw, HttpStatusCode.Conflict, "has a password");
        Assert.Equal(2, (await server.EmailsAsync(id)).Count(e => e.GetProperty("purpose").GetString() == "invitation"));
        var (signedIn, _) = await UserAdmin.SignInAsync(server, (await admin.GetUserAsync(id)).User.GetProperty("username").GetString()!, Password);
        signedIn.Dispose();
    }

    [Fact]
    public async Task A_withdrawn_invitation_kills_the_link_and_deletes_the_user_who_never_accepted()
    {
        using var admin = await server.AdminAsync();
        var (id, email) = await InviteAsync(admin, "invwd");
        var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "You are invited"));
        using var browser = server.NewBrowser();
        var form = await OpenLinkAsync(browser, link);

        using var withdrawn = await admin.DeleteAsync($"/admin/users/{id}/invitation");
        Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);

        using var reopened = await browser.GetAsync(link);
        await AssertRefusedAsync(reopened, "not valid");
        using var posted = await browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = Password, ["confirm_password"] = Password });
        await AssertRefusedAsync(posted, "not valid");
        using var gone = await admin.GetAsync($"/admin/users/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var audited = Assert.Single(await admin.AuditAsync($"subject={id}&event_type=user.invitation_withdrawn"));
        Assert.Equal("1", audited.GetProperty("details").GetProperty("revoked_links").GetString());
        Assert.Single(await admin.AuditAsync($"subject={id}&event_type=user.deleted"));

        // The address is free again: a new invitation to it works.
        using var reinvited = await admin.PostAsJsonAsync("/admin/users/invitations", new { email });
        Assert.Equal(HttpStatusCode.Created, reinvited.StatusCode);
        using var again = await admin.DeleteAsync($"/admin/users/{id}/invitation");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Re_sending_or_withdrawing_for_an_unknown_user_is_a_404_and_a_stale_If_Match_a_412()
    {
        using var admin = await server.AdminAsync();
        foreach (var path in new[] { $"/admin/users/{Guid.NewGuid()}/invitation", "/admin/users/not-a-guid/invitation" })
        {
            using var resend = await admin.PostAsync(path, content: null);
            await AssertProblemAsync(resend, HttpStatusCode.NotFound, "was not found");
            using var withdraw = await admin.DeleteAsync(path);
            await AssertProblemAsync(withdraw, HttpStatusCode.NotFound, "was not found");
        }

        var (id, email) = await InviteAsync(admin, "invif");
        using var refused = await admin.SendAsync(HttpMethod.Delete, $"/admin/users/{id}/invitation", ifMatch: "\"999\"");
        await AssertProblemAsync(refused, HttpStatusCode.PreconditionFailed, "If-Match");
        using var staleResend = await admin.SendAsync(HttpMethod.Post, $"/admin/users/{id}/invitation", ifMatch: "\"999\"");
        await AssertProblemAsync(staleResend, HttpStatusCode.PreconditionFailed, "If-Match");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/admin/users/{id}")).StatusCode);
        var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "You are invited"));
        using var browser = server.NewBrowser();
        await OpenLinkAsync(browser, link);
    }

    [Fact]
    public async Task An_acceptance_racing_a_withdrawal_ends_with_one_of_the_two_never_both_or_a_500()
    {
        using var admin = await server.AdminAsync();
        for (var round = 0; round < 6; round++)
        {
            var (id, email) = await InviteAsync(admin, "invrace");
            var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "You are invited"));
            using var browser = server.NewBrowser();
            var form = await OpenLinkAsync(browser, link);

            var accept = browser.SubmitAsync(form, new Dictionary<string, string> { ["new_password"] = Password, ["confirm_password"] = Password });
            var withdraw = admin.DeleteAsync($"/admin/users/{id}/invitation");
            using var accepted = await accept;
            using var withdrawn = await withdraw;

            using var user = await admin.GetAsync($"/admin/users/{id}");
            if (accepted.StatusCode == HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.Conflict, withdrawn.StatusCode);
                Assert.Equal(HttpStatusCode.OK, user.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);
                Assert.Equal(HttpStatusCode.NoContent, withdrawn.StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, user.StatusCode);
            }
        }
    }

    private static async Task<(string Id, string Email)> InviteAsync(HttpClient admin, string prefix)
    {
        var email = UserAdmin.NewUsername(prefix) + "@example.com";
        using var invited = await admin.PostAsJsonAsync("/admin/users/invitations", new { email });
        var user = await invited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(invited.StatusCode == HttpStatusCode.Created, user.ToString());
        return (user.Id(), email);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detail, body, StringComparison.Ordinal);
    }
}
