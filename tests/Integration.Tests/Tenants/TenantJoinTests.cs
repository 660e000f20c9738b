using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Email;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Tenants;

/// <summary>
/// Joining a tenant (docs/adr/0038, "Joining"): an account created from within the invitation page, the tenant's allowed
/// e-mail domains at invitation and acceptance, and a suspended tenant. Self-registration is off in this fixture.
/// </summary>
public sealed class TenantJoinTests(TenantFixture server) : IClassFixture<TenantFixture>
{
    [Fact]
    public async Task A_person_without_an_account_creates_one_on_the_invitation_page_and_joins_even_with_self_registration_off()
    {
        var (tenantId, slug) = await server.TenantAsync("join");
        var username = UserAdmin.NewUsername("newcomer");
        var email = username + "@acme.example";
        var link = await server.InviteAsync(tenantId, slug, email, "admin");
        using var browser = server.NewBrowser();
        using (var register = await browser.GetAsync("/account/register"))
        {
            Assert.Equal(HttpStatusCode.NotFound, register.StatusCode);
        }

        var page = await EmailPageTesting.OpenLinkAsync(browser, link);
        Assert.Contains("Create the account and join", page, StringComparison.Ordinal);
        Assert.Contains(email, page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"email\"", page, StringComparison.Ordinal);

        // The registration rules: refused forms write nothing and are shown again with what was typed (never the passwords).
        using (var mismatch = await browser.SubmitAsync(page, Form(username, UserAdmin.Password, "another-password-0123")))
        {
            var html = await mismatch.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
            Assert.Contains("not the same", html, StringComparison.Ordinal);
            Assert.Contains($"value=\"{username}\"", html, StringComparison.Ordinal);
        }

        using (var weak = await browser.SubmitAsync(page, Form(username, "short", "short")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        }

        Assert.Null(await FindUserAsync(email));

        using (var created = await browser.SubmitAsync(page, Form(username, UserAdmin.Password, UserAdmin.Password)))
        {
            var html = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.OK, html);
            Assert.Contains($"Your account {username} was created and is now a member of Tenant {slug} (admin)", html, StringComparison.Ordinal);
        }

        var user = (await FindUserAsync(email))!.Value;
        Assert.True(user.GetProperty("email_verified").GetBoolean());
        var userId = user.GetProperty("id").GetString()!;

        // The link is used up: a second registration or an acceptance is told so.
        using (var replayed = await browser.SubmitAsync(page, Form(username + "x", UserAdmin.Password, UserAdmin.Password)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
            Assert.Contains("already been accepted", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The new account signs in with its password and administers the tenant at once.
        var (signedIn, api) = await server.TenantAdminAsync(username);
        using (signedIn)
        using (api)
        {
            var members = await (await api.GetAsync($"/admin/tenants/{tenantId}/members")).ExpectAsync(HttpStatusCode.OK);
            var member = Assert.Single(members.GetProperty("items").EnumerateArray());
            Assert.Equal((userId, "admin"), (member.GetProperty("user_id").GetString(), member.GetProperty("roles")[0].GetString()));
        }

        using var admin = await server.AdminAsync();
        var accepted = Assert.Single(await admin.AuditAsync($"subject={tenantId}&event_type=tenant.invite.accepted"));
        Assert.Equal(("user", userId), (accepted.GetProperty("actor_type").GetString(), accepted.GetProperty("actor_id").GetString()));
        Assert.Single(await admin.AuditAsync($"subject={userId}&event_type=user.created"));
    }

    [Fact]
    public async Task A_person_sent_to_sign_in_comes_back_to_the_invitation_once_signed_in_and_accepts()
    {
        var (tenantId, slug) = await server.TenantAsync("back");
        var (graceId, grace, graceEmail) = await server.VerifiedUserAsync("back");
        var link = await server.InviteAsync(tenantId, slug, graceEmail, "member");
        using var browser = server.NewBrowser();
        await EmailPageTesting.OpenLinkAsync(browser, link);

        using var signInPage = await browser.GetAsync("/account/signin");
        using var signedIn = await browser.SignInAsync(await signInPage.Content.ReadAsStringAsync(), grace, UserAdmin.Password);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        using var account = await browser.GetAsync(signedIn.Headers.Location!.OriginalString);

        // The account page sends the person back to this server's own invitation path, with the link's token.
        Assert.Equal(HttpStatusCode.SeeOther, account.StatusCode);
        var back = account.Headers.Location!.OriginalString;
        Assert.StartsWith("/account/tenant-invitation?token=", back, StringComparison.Ordinal);
        var form = await EmailPageTesting.OpenLinkAsync(browser, back);
        using var accepted = await browser.SubmitAsync(form, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        using var admin = await server.AdminAsync();
        var member = Assert.Single((await (await admin.GetAsync($"/admin/tenants/{tenantId}/members")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(graceId, member.GetProperty("user_id").GetString());

        // Used once: the account page shows the account again.
        using var again = await browser.GetAsync("/account");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task An_address_with_an_account_is_sent_to_sign_in_and_nothing_is_created()
    {
        var (tenantId, slug) = await server.TenantAsync("taken");
        var (_, _, email) = await server.VerifiedUserAsync("taken");
        var link = await server.InviteAsync(tenantId, slug, email, "member");
        using var browser = server.NewBrowser();
        var page = await EmailPageTesting.OpenLinkAsync(browser, link);
        var username = UserAdmin.NewUsername("second");

        using var refused = await browser.SubmitAsync(page, Form(username, UserAdmin.Password, UserAdmin.Password));

        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("has an account already. Sign in with it", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/signin\"", html, StringComparison.Ordinal);
        using var admin = await server.AdminAsync();
        var users = await (await admin.GetAsync("/admin/users?q=" + Uri.EscapeDataString(username))).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(users.GetProperty("items").EnumerateArray());
        var invitation = Assert.Single((await (await admin.GetAsync($"/admin/tenants/{tenantId}/invitations")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray());
        Assert.Equal("open", invitation.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_registration_without_the_anti_forgery_token_creates_nothing()
    {
        var (tenantId, slug) = await server.TenantAsync("rcsrf");
        var email = UserAdmin.NewUsername("rcsrf") + "@acme.example";
        var link = await server.InviteAsync(tenantId, slug, email, "member");
        using var browser = server.NewBrowser();
        var page = await EmailPageTesting.OpenLinkAsync(browser, link);
        var fields = Browser.HiddenFields(page);
        fields.Remove("csrf_token");
        foreach (var (name, value) in Form(UserAdmin.NewUsername("rcsrf"), UserAdmin.Password, UserAdmin.Password))
        {
            fields[name] = value;
        }

        using var forged = await browser.Http.PostAsync("/account/tenant-invitation/register", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(await FindUserAsync(email));
    }

    [Fact]
    public async Task Allowed_email_domains_bound_invitations_direct_members_and_an_acceptance_after_the_policy_changed()
    {
        var (tenantId, slug) = await server.TenantAsync("dom");
        var (graceId, grace, graceEmail) = await server.VerifiedUserAsync("dom");
        var link = await server.InviteAsync(tenantId, slug, graceEmail, "member");
        var newcomerEmail = UserAdmin.NewUsername("domnew") + "@acme.example";
        var newcomerLink = await server.InviteAsync(tenantId, slug, newcomerEmail, "member");

        // The policy narrows after the messages were sent: both links are refused, signed in or not, and nothing is created.
        await server.UpdateAsync(tenantId, slug, "active", "Other.Example");
        await AssertLinksRefusedAsync(grace, link, newcomerLink, "admits only e-mail addresses at its own domains");

        using var admin = await server.AdminAsync();

        // Creating an invitation, re-sending an old one, or adding the member directly: 400 naming the member.
        using (var wrongDomain = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = graceEmail, roles = new[] { "member" } }))
        {
            await wrongDomain.ProblemAsync(HttpStatusCode.BadRequest, "email");
        }

        using (var resent = await ResendFirstAsync(admin, tenantId))
        {
            await resent.ProblemAsync(HttpStatusCode.BadRequest, "email");
        }

        using (var direct = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/members", new { user_id = graceId, roles = new[] { "member" } }))
        {
            await direct.ProblemAsync(HttpStatusCode.BadRequest, "user_id");
        }

        var members = await (await admin.GetAsync($"/admin/tenants/{tenantId}/members")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(members.GetProperty("items").EnumerateArray());
        Assert.Null(await FindUserAsync(newcomerEmail));

        // The grace's domain allowed again (in any case): an address there is invited and the old link works again.
        await server.UpdateAsync(tenantId, slug, "active", "ACME.example");
        using (var allowed = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations",
            new { email = UserAdmin.NewUsername("domok") + "@Acme.Example", roles = new[] { "member" } }))
        {
            await allowed.ExpectAsync(HttpStatusCode.Created);
        }

        var (again, againApi) = await server.TenantAdminAsync(grace);
        using (again)
        using (againApi)
        {
            var form = await EmailPageTesting.OpenLinkAsync(again, link);
            using var accepted = await again.SubmitAsync(form, new Dictionary<string, string>());
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }
    }

    [Fact]
    public async Task A_suspended_tenant_takes_nobody_in_and_refuses_its_administrators_while_the_platform_still_manages_it()
    {
        var (tenantId, slug) = await server.TenantAsync("susp");
        var (adminId, tenantAdmin, _) = await server.VerifiedUserAsync("suspadm");
        await server.AddMemberAsync(tenantId, adminId, "admin");
        var (_, invitee, inviteeEmail) = await server.VerifiedUserAsync("suspinv");
        var link = await server.InviteAsync(tenantId, slug, inviteeEmail, "member");
        var newcomerLink = await server.InviteAsync(tenantId, slug, UserAdmin.NewUsername("suspnew") + "@acme.example", "member");
        var (adminBrowser, adminApi) = await server.TenantAdminAsync(tenantAdmin);
        using (adminBrowser)
        using (adminApi)
        {
            using (var before = await adminApi.GetAsync($"/admin/tenants/{tenantId}"))
            {
                await before.ExpectAsync(HttpStatusCode.OK);
            }

            await server.UpdateAsync(tenantId, slug, "suspended");

            // The tenant's own administrator: 403 on every route of it while suspended (the same token, read again per request).
            using (var read = await adminApi.GetAsync($"/admin/tenants/{tenantId}"))
            {
                Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
            }

            using (var invite = await adminApi.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = inviteeEmail, roles = new[] { "member" } }))
            {
                Assert.Equal(HttpStatusCode.Forbidden, invite.StatusCode);
            }

            // The platform still reads it, and gets 409 for a new or re-sent invitation.
            using var admin = await server.AdminAsync();
            await TenantFixture.ReadAsync(admin, tenantId);
            using (var invite = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = inviteeEmail, roles = new[] { "member" } }))
            {
                await invite.ProblemAsync(HttpStatusCode.Conflict);
            }

            using (var resent = await ResendFirstAsync(admin, tenantId))
            {
                await resent.ProblemAsync(HttpStatusCode.Conflict);
            }

            // The links: refused with a page saying so, signed in or not; no account is created from them.
            await AssertLinksRefusedAsync(invitee, link, newcomerLink, "This tenant is suspended");

            // Reactivated by the platform: the administrator's token works again.
            await server.UpdateAsync(tenantId, slug, "active");
            using var after = await adminApi.GetAsync($"/admin/tenants/{tenantId}");
            await after.ExpectAsync(HttpStatusCode.OK);
        }
    }

    /// <summary>
    /// Both links refused with <paramref name="why"/> (403): the invited account's, signed in, and the one of an address
    /// without an account, to nobody signed in (no form to create the account).
    /// </summary>
    private async Task AssertLinksRefusedAsync(string username, string link, string newcomerLink, string why)
    {
        var (browser, api) = await server.TenantAdminAsync(username);
        using (browser)
        using (api)
        {
            using var refused = await browser.GetAsync(link);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains(why, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var anonymous = server.NewBrowser();
        using var refusedToNobody = await anonymous.GetAsync(newcomerLink);
        var html = await refusedToNobody.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, refusedToNobody.StatusCode);
        Assert.Contains(why, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Create the account", html, StringComparison.Ordinal);
    }

    /// <summary>Re-sends the tenant's first listed invitation as the platform.</summary>
    private static async Task<HttpResponseMessage> ResendFirstAsync(HttpClient admin, string tenantId)
    {
        var first = (await (await admin.GetAsync($"/admin/tenants/{tenantId}/invitations")).ExpectAsync(HttpStatusCode.OK)).GetProperty("items")[0];
        return await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations/{first.GetProperty("id").GetString()}/resend");
    }

    internal static Dictionary<string, string> Form(string username, string password, string confirm) => new()
    {
        ["username"] = username,
        ["password"] = password,
        ["confirm_password"] = confirm,
    };

    private async Task<JsonElement?> FindUserAsync(string email)
    {
        using var admin = await server.AdminAsync();
        var page = await (await admin.GetAsync("/admin/users?q=" + Uri.EscapeDataString(email))).ExpectAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Where(u => u.GetProperty("email").GetString() == email).Select(u => (JsonElement?)u.Clone())
            .SingleOrDefault();
    }
}

/// <summary>The tenant fixture with open self-registration on, limited to a domain the invitations do not use.</summary>
public sealed class TenantSelfRegistrationFixture : TenantFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>(base.Overrides)
    {
        ["Auth:SelfRegistration:Enabled"] = "true",
        ["Auth:SelfRegistration:AllowedEmailDomains:0"] = "open.example",
    };
}

/// <summary>
/// With open self-registration on, the invitation page still creates the account itself (verified, joined in the same
/// step); the domain list of open self-registration does not bind an invitation, which the tenant's own policy bounds.
/// </summary>
public sealed class TenantJoinWithSelfRegistrationTests(TenantSelfRegistrationFixture server) : IClassFixture<TenantSelfRegistrationFixture>
{
    [Fact]
    public async Task The_invitation_page_creates_a_verified_member_whatever_the_self_registration_domains()
    {
        var (tenantId, slug) = await server.TenantAsync("openreg");
        var username = UserAdmin.NewUsername("openreg");
        var email = username + "@acme.example";
        var link = await server.InviteAsync(tenantId, slug, email, "member");
        using var browser = server.NewBrowser();
        var page = await EmailPageTesting.OpenLinkAsync(browser, link);

        using var created = await browser.SubmitAsync(page, TenantJoinTests.Form(username, UserAdmin.Password, UserAdmin.Password));

        var html = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("is now a member of Tenant " + slug, html, StringComparison.Ordinal);
        using var admin = await server.AdminAsync();
        var users = await (await admin.GetAsync("/admin/users?q=" + Uri.EscapeDataString(email))).ExpectAsync(HttpStatusCode.OK);
        Assert.True(Assert.Single(users.GetProperty("items").EnumerateArray()).GetProperty("email_verified").GetBoolean());
        var members = await (await admin.GetAsync($"/admin/tenants/{tenantId}/members")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(members.GetProperty("items").EnumerateArray());
    }
}
