using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Email;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Tenants;

/// <summary><c>/admin/tenants</c> with the platform administrator's token, end to end on PostgreSQL (docs/adr/0038).</summary>
public sealed class TenantAdminTests(TenantFixture server) : IClassFixture<TenantFixture>
{
    private static string NewSlug(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task A_tenant_is_created_read_listed_and_updated_under_If_Match_and_audited_with_its_slug()
    {
        using var admin = await server.AdminAsync();
        var slug = NewSlug("crud");
        using var created = await admin.SendAsync(HttpMethod.Post, "/admin/tenants", new
        {
            slug, display_name = "Acme",
            policy = new { require_mfa = true, allowed_sign_in_methods = new[] { "passkey", "password" }, allowed_email_domains = new[] { "Acme.Example" } },
        });
        var tenant = await created.ExpectAsync(HttpStatusCode.Created);
        var id = tenant.GetProperty("id").GetString()!;
        Assert.Equal($"/admin/tenants/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("active", tenant.GetProperty("status").GetString());
        Assert.Equal(["password", "passkey"], tenant.GetProperty("policy").GetProperty("allowed_sign_in_methods").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["acme.example"], tenant.GetProperty("policy").GetProperty("allowed_email_domains").EnumerateArray().Select(e => e.GetString()));

        var (_, etag) = await TenantFixture.ReadAsync(admin, id);
        using var stale = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{id}", new { display_name = "Other" }, "\"999\"");
        await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        using var updated = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{id}", new { slug, display_name = "Acme Corp", status = "suspended" }, etag);
        var after = await updated.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("Acme Corp", "suspended"), (after.GetProperty("display_name").GetString(), after.GetProperty("status").GetString()));
        Assert.False(after.GetProperty("policy").GetProperty("require_mfa").GetBoolean());
        Assert.NotEqual(etag, updated.Headers.ETag!.Tag);

        using var renamed = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{id}", new { slug = slug + "x", display_name = "Acme" });
        await renamed.ProblemAsync(HttpStatusCode.BadRequest, "slug");

        var listed = await (await admin.GetAsync($"/admin/tenants?slug_prefix={slug}&status=suspended")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([id], listed.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        var active = await (await admin.GetAsync($"/admin/tenants?slug_prefix={slug}&status=active")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(active.GetProperty("items").EnumerateArray());

        var createdEntry = await admin.AssertAuditedAsync("tenant", id, "tenant.created");
        Assert.Contains($"\"tenant\":\"{slug}\"", createdEntry.GetProperty("details").ToString(), StringComparison.Ordinal);
        await admin.AssertAuditedAsync("tenant", id, "tenant.updated");
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_a_taken_slug_is_a_409()
    {
        using var admin = await server.AdminAsync();
        foreach (var (body, field) in new (object, string)[]
        {
            (new { slug = "Bad Slug", display_name = "X" }, "slug"),
            (new { slug = "a", display_name = "X" }, "slug"),
            (new { display_name = "X" }, "slug"),
            (new { slug = NewSlug("bad"), display_name = "" }, "display_name"),
            (new { slug = NewSlug("bad"), display_name = "X", status = "deleted" }, "status"),
            (new { slug = NewSlug("bad"), display_name = "X", policy = new { allowed_sign_in_methods = new[] { "sms" } } }, "allowed_sign_in_methods"),
            (new { slug = NewSlug("bad"), display_name = "X", policy = new { allowed_email_domains = new[] { "@x.example" } } }, "allowed_email_domains"),
        })
        {
            using var refused = await admin.SendAsync(HttpMethod.Post, "/admin/tenants", body);
            await refused.ProblemAsync(HttpStatusCode.BadRequest, field);
        }

        using var unknownMember = await admin.SendAsync(HttpMethod.Post, "/admin/tenants", """{"slug":"unknown-member","display_name":"X","owner":"me"}""");
        await unknownMember.ProblemAsync(HttpStatusCode.BadRequest);

        var (_, slug) = await server.TenantAsync("dup");
        using var duplicate = await admin.SendAsync(HttpMethod.Post, "/admin/tenants", new { slug, display_name = "Again" });
        await duplicate.ProblemAsync(HttpStatusCode.Conflict);

        using var missing = await admin.GetAsync($"/admin/tenants/{Guid.NewGuid()}");
        await missing.ProblemAsync(HttpStatusCode.NotFound);
        using var badCursor = await admin.GetAsync("/admin/tenants?cursor=forged");
        await badCursor.ProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    [Fact]
    public async Task Members_are_added_once_changed_and_removed_and_the_last_owner_stays()
    {
        using var admin = await server.AdminAsync();
        var (tenantId, slug) = await server.TenantAsync("mem");
        var (ownerId, _, _) = await server.VerifiedUserAsync("own");
        var (otherId, _, _) = await server.VerifiedUserAsync("oth");

        using var added = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/members", new { user_id = ownerId, roles = new[] { "owner" } });
        Assert.Equal(["owner"], (await added.ExpectAsync(HttpStatusCode.Created)).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        using var again = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/members", new { user_id = ownerId, roles = new[] { "member" } });
        await again.ProblemAsync(HttpStatusCode.Conflict);
        using var nobody = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/members", new { user_id = Guid.NewGuid(), roles = new[] { "member" } });
        await nobody.ProblemAsync(HttpStatusCode.BadRequest, "user_id");
        using var badRole = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/members", new { user_id = otherId, roles = new[] { "root" } });
        await badRole.ProblemAsync(HttpStatusCode.BadRequest, "roles");

        using var demoteLast = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{ownerId}", new { roles = new[] { "admin" } });
        await demoteLast.ProblemAsync(HttpStatusCode.BadRequest, "roles");
        using var removeLast = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenantId}/members/{ownerId}");
        await removeLast.ProblemAsync(HttpStatusCode.BadRequest, "roles");

        await server.AddMemberAsync(tenantId, otherId, "member");
        using var promoted = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{otherId}", new { roles = new[] { "owner", "admin" } });
        Assert.Equal(["owner", "admin"], (await promoted.ExpectAsync(HttpStatusCode.OK)).GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        using var removed = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenantId}/members/{ownerId}");
        await removed.ExpectAsync(HttpStatusCode.NoContent);

        var members = await (await admin.GetAsync($"/admin/tenants/{tenantId}/members")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([otherId], members.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("user_id").GetString()));
        using var gone = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenantId}/members/{ownerId}");
        await gone.ProblemAsync(HttpStatusCode.NotFound);

        var addedEntry = Assert.Single(await admin.AuditAsync($"subject={tenantId}&event_type=tenant.member.added"), e => e.GetProperty("details").ToString().Contains(ownerId, StringComparison.Ordinal));
        Assert.Contains($"\"tenant\":\"{slug}\"", addedEntry.GetProperty("details").ToString(), StringComparison.Ordinal);
        await admin.AssertAuditedAsync("tenant", tenantId, "tenant.member.removed");
        await admin.AssertAuditedAsync("tenant", tenantId, "tenant.member.roles_changed");
    }

    [Fact]
    public async Task Two_owners_demoted_at_the_same_moment_leave_one_owner()
    {
        using var admin = await server.AdminAsync();
        var (tenantId, _) = await server.TenantAsync("race");
        var (first, _, _) = await server.VerifiedUserAsync("ra1");
        var (second, _, _) = await server.VerifiedUserAsync("ra2");
        await server.AddMemberAsync(tenantId, first, "owner");
        await server.AddMemberAsync(tenantId, second, "owner");

        for (var round = 0; round < 5; round++)
        {
            var demotions = await Task.WhenAll(new[] { first, second }.Select(async userId =>
            {
                using var response = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{userId}", new { roles = new[] { "admin" } });
                return response.StatusCode;
            }));

            // Each demotion counted the other owner; the tenant's version lets only one of them save (409 or 400 for the other).
            Assert.Single(demotions, status => status == HttpStatusCode.OK);
            var members = await (await admin.GetAsync($"/admin/tenants/{tenantId}/members")).ExpectAsync(HttpStatusCode.OK);
            var owners = members.GetProperty("items").EnumerateArray()
                .Where(m => m.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == "owner")).Select(m => m.GetProperty("user_id").GetString()).ToList();
            var owner = Assert.Single(owners);
            using var restored = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{(owner == first ? second : first)}", new { roles = new[] { "owner" } });
            await restored.ExpectAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task A_tenant_with_members_is_not_deleted_and_one_without_is_with_its_invitations()
    {
        using var admin = await server.AdminAsync();
        var (tenantId, _) = await server.TenantAsync("del");
        var (userId, _, _) = await server.VerifiedUserAsync("del");
        await server.AddMemberAsync(tenantId, userId, "member");
        using var invited = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = "someone@acme.example", roles = new[] { "member" } });
        await invited.ExpectAsync(HttpStatusCode.Created);

        using var refused = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenantId}");
        await refused.ProblemAsync(HttpStatusCode.Conflict);

        using var removed = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenantId}/members/{userId}");
        await removed.ExpectAsync(HttpStatusCode.NoContent);
        using var deleted = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenantId}");
        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        using var gone = await admin.GetAsync($"/admin/tenants/{tenantId}");
        await gone.ProblemAsync(HttpStatusCode.NotFound);
        await admin.AssertAuditedAsync("tenant", tenantId, "tenant.deleted");
    }

    [Fact]
    public async Task Deleting_a_user_removes_their_memberships_with_an_audited_removal()
    {
        using var admin = await server.AdminAsync();
        var (tenantId, _) = await server.TenantAsync("udel");
        var (userId, _, _) = await server.VerifiedUserAsync("udel");
        await server.AddMemberAsync(tenantId, userId, "owner");

        using var deleted = await admin.SendAsync(HttpMethod.Delete, $"/admin/users/{userId}");
        await deleted.ExpectAsync(HttpStatusCode.NoContent);

        var members = await (await admin.GetAsync($"/admin/tenants/{tenantId}/members")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(members.GetProperty("items").EnumerateArray());
        var entry = await admin.AssertAuditedAsync("tenant", tenantId, "tenant.member.removed");
        Assert.Contains("user_deleted", entry.GetProperty("details").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitations_are_listed_resent_with_a_new_link_and_withdrawn()
    {
        using var admin = await server.AdminAsync();
        var (tenantId, slug) = await server.TenantAsync("inv");
        var email = UserAdmin.NewUsername("inv") + "@acme.example";
        using var created = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email, roles = new[] { "admin" } });
        var invitation = await created.ExpectAsync(HttpStatusCode.Created);
        Assert.False(invitation.TryGetProperty("invitation_link", out _), "with SMTP configured the link goes only by e-mail");
        var id = invitation.GetProperty("id").GetString()!;
        var first = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "You are invited to join Tenant " + slug));

        using var resent = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations/{id}/resend");
        await resent.ExpectAsync(HttpStatusCode.OK);
        var second = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "You are invited to join Tenant " + slug, skip: 1));
        Assert.NotEqual(first, second);
        using var browser = server.NewBrowser();
        using var old = await browser.GetAsync(first);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);

        using var withdrawn = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenantId}/invitations/{id}");
        await withdrawn.ExpectAsync(HttpStatusCode.NoContent);
        using var twice = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{tenantId}/invitations/{id}");
        await twice.ProblemAsync(HttpStatusCode.Conflict);
        using var resendWithdrawn = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations/{id}/resend");
        await resendWithdrawn.ProblemAsync(HttpStatusCode.Conflict);
        using var current = await browser.GetAsync(second);
        var html = await current.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, current.StatusCode);
        Assert.Contains("withdrawn", html, StringComparison.Ordinal);

        var list = await (await admin.GetAsync($"/admin/tenants/{tenantId}/invitations")).ExpectAsync(HttpStatusCode.OK);
        var listed = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("withdrawn", listed.GetProperty("state").GetString());
        Assert.Equal(2, (await admin.AuditAsync($"subject={tenantId}&event_type=tenant.invite.sent")).Count);
        using var bad = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = "not-an-address", roles = new[] { "member" } });
        await bad.ProblemAsync(HttpStatusCode.BadRequest, "email");
    }
}
