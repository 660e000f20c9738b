using System.Net;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Email;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Tenants;

/// <summary>A tenant invitation from the admin API through the SMTP server to the page where the invited person accepts it (docs/adr/0038).</summary>
public sealed class TenantInvitationFlowTests(TenantFixture server) : IClassFixture<TenantFixture>
{
    [Fact]
    public async Task The_invited_account_accepts_once_a_wrong_account_is_refused_and_the_link_cannot_be_replayed()
    {
        var (tenantId, slug) = await server.TenantAsync("flow");
        var (graceId, grace, graceEmail) = await server.VerifiedUserAsync("grace");
        var (_, mallory, _) = await server.VerifiedUserAsync("mallory");
        using var admin = await server.AdminAsync();
        using var invited = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = graceEmail.ToUpperInvariant(), roles = new[] { "admin" } });
        var invitationId = (await invited.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(graceEmail.ToUpperInvariant(), "You are invited to join Tenant " + slug));
        Assert.Contains("/account/tenant-invitation?token=", link, StringComparison.Ordinal);

        // Not signed in: the page asks to sign in first and uses nothing up.
        using (var anonymous = server.NewBrowser())
        {
            var page = await EmailPageTesting.OpenLinkAsync(anonymous, link);
            Assert.Contains("sign in with the account of the invited e-mail address", page, StringComparison.Ordinal);
        }

        // Another account, signed in: refused, nothing changes.
        var (malloryBrowser, malloryApi) = await server.TenantAdminAsync(mallory);
        using (malloryBrowser)
        using (malloryApi)
        {
            using var wrong = await malloryBrowser.GetAsync(link);
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            Assert.Contains("another e-mail address", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var (browser, api) = await server.TenantAdminAsync(grace);
        using (browser)
        using (api)
        {
            var form = await EmailPageTesting.OpenLinkAsync(browser, link);
            Assert.Contains("Accept the invitation", form, StringComparison.Ordinal);
            using var accepted = await browser.SubmitAsync(form, new Dictionary<string, string>());
            var done = await accepted.Content.ReadAsStringAsync();
            Assert.True(accepted.StatusCode == HttpStatusCode.OK, done);
            Assert.Contains("You are now a member", done, StringComparison.Ordinal);

            // The new admin's token works for the tenant at once (the role is read on every request).
            using var members = await api.GetAsync($"/admin/tenants/{tenantId}/members");
            var list = await members.ExpectAsync(HttpStatusCode.OK);
            var member = Assert.Single(list.GetProperty("items").EnumerateArray());
            Assert.Equal(graceId, member.GetProperty("user_id").GetString());
            Assert.Equal(["admin"], member.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

            using var replayed = await browser.SubmitAsync(form, new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
            Assert.Contains("already been accepted", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var invitations = await (await admin.GetAsync($"/admin/tenants/{tenantId}/invitations")).ExpectAsync(HttpStatusCode.OK);
        var invitation = Assert.Single(invitations.GetProperty("items").EnumerateArray());
        Assert.Equal((invitationId, "accepted", graceId), (invitation.GetProperty("id").GetString(), invitation.GetProperty("state").GetString(),
            invitation.GetProperty("accepted_by").GetString()));
        var entry = Assert.Single(await admin.AuditAsync($"subject={tenantId}&event_type=tenant.invite.accepted"));
        Assert.Equal(("user", graceId), (entry.GetProperty("actor_type").GetString(), entry.GetProperty("actor_id").GetString()));
        Assert.Contains($"\"tenant\":\"{slug}\"", entry.GetProperty("details").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_accepts_nothing()
    {
        var (tenantId, slug) = await server.TenantAsync("csrf");
        var (_, grace, graceEmail) = await server.VerifiedUserAsync("csrf");
        using var admin = await server.AdminAsync();
        using var invited = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = graceEmail, roles = new[] { "member" } });
        await invited.ExpectAsync(HttpStatusCode.Created);
        var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(graceEmail, "You are invited to join Tenant " + slug));
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        var (browser, api) = await server.TenantAdminAsync(grace);
        using (browser)
        using (api)
        {
            using var forged = await browser.Http.PostAsync("/account/tenant-invitation", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        var members = await (await admin.GetAsync($"/admin/tenants/{tenantId}/members")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(members.GetProperty("items").EnumerateArray());
    }
}

/// <summary>Without an SMTP server (messages only in the pickup folder) the administrator gets the link in the answer.</summary>
public sealed class TenantInvitationWithoutMailTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task The_link_is_in_the_answer_and_opens_the_invitation_page()
    {
        using var admin = await server.AdminAsync();
        var slug = $"nomail-{Guid.NewGuid():N}"[..20];
        using var created = await admin.SendAsync(HttpMethod.Post, "/admin/tenants", new { slug, display_name = "No Mail" });
        var tenantId = (await created.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        using var invited = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = "someone@acme.example", roles = new[] { "member" } });
        var link = (await invited.ExpectAsync(HttpStatusCode.Created)).GetProperty("invitation_link").GetString()!;

        Assert.StartsWith(TestClients.Issuer + "/account/tenant-invitation?token=", link, StringComparison.Ordinal);
        using var browser = server.NewBrowser();
        using var page = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("No Mail", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var list = await (await admin.GetAsync($"/admin/tenants/{tenantId}/invitations")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(Assert.Single(list.GetProperty("items").EnumerateArray()).TryGetProperty("invitation_link", out _));
    }
}
