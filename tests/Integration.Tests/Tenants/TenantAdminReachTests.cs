using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Tenants;

/// <summary>
/// A person's token with the <c>tenant_admin</c> scope, obtained through the code flow (docs/adr/0038): it manages the
/// tenant in which its user is an owner or admin, and nothing else; every other route answers 403 and changes nothing.
/// </summary>
public sealed class TenantAdminReachTests(TenantFixture server) : IClassFixture<TenantFixture>
{
    /// <summary>Every tenant admin route, for a tenant id, a member id, an invitation id and a webhook subscription id.</summary>
    private static IEnumerable<(HttpMethod Method, string Path, object? Body)> TenantRoutes(string tenantId, string memberId, string invitationId, string webhookId) =>
    [
        (HttpMethod.Get, $"/admin/tenants/{tenantId}", null),
        (HttpMethod.Put, $"/admin/tenants/{tenantId}", new { display_name = "Taken over" }),
        (HttpMethod.Get, $"/admin/tenants/{tenantId}/members", null),
        (HttpMethod.Post, $"/admin/tenants/{tenantId}/members", new { user_id = memberId, roles = new[] { "admin" } }),
        (HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{memberId}", new { roles = new[] { "admin" } }),
        (HttpMethod.Delete, $"/admin/tenants/{tenantId}/members/{memberId}", null),
        (HttpMethod.Get, $"/admin/tenants/{tenantId}/invitations", null),
        (HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = "intruder@evil.example", roles = new[] { "owner" } }),
        (HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations/{invitationId}/resend", null),
        (HttpMethod.Delete, $"/admin/tenants/{tenantId}/invitations/{invitationId}", null),
        (HttpMethod.Get, $"/admin/tenants/{tenantId}/webhooks", null),
        (HttpMethod.Post, $"/admin/tenants/{tenantId}/webhooks", new { url = "https://evil.example/hook" }),
        (HttpMethod.Get, $"/admin/tenants/{tenantId}/webhooks/{webhookId}", null),
        (HttpMethod.Put, $"/admin/tenants/{tenantId}/webhooks/{webhookId}", new { url = "https://evil.example/hook" }),
        (HttpMethod.Delete, $"/admin/tenants/{tenantId}/webhooks/{webhookId}", null),
        (HttpMethod.Post, $"/admin/tenants/{tenantId}/webhooks/{webhookId}/secret", null),
        (HttpMethod.Get, $"/admin/tenants/{tenantId}/webhooks/{webhookId}/deliveries", null),
        (HttpMethod.Post, $"/admin/tenants/{tenantId}/webhooks/{webhookId}/deliveries/{Guid.NewGuid()}/replay", null),
    ];

    [Fact]
    public async Task A_tenant_admin_manages_their_own_tenant_but_not_its_status()
    {
        var (tenantId, _) = await server.TenantAsync("own");
        var (adminId, username, _) = await server.VerifiedUserAsync("tad");
        var (memberId, _, _) = await server.VerifiedUserAsync("tmb");
        await server.AddMemberAsync(tenantId, adminId, "admin");
        var (browser, api) = await server.TenantAdminAsync(username);
        using (browser)
        using (api)
        {
            using var read = await api.GetAsync($"/admin/tenants/{tenantId}");
            await read.ExpectAsync(HttpStatusCode.OK);
            using var renamed = await api.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}", new { display_name = "Renamed by its admin", policy = new { require_mfa = true } });
            Assert.True((await renamed.ExpectAsync(HttpStatusCode.OK)).GetProperty("policy").GetProperty("require_mfa").GetBoolean());
            using var suspend = await api.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}", new { display_name = "Renamed by its admin", status = "suspended" });
            await suspend.ProblemAsync(HttpStatusCode.Forbidden);
            using var added = await api.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/members", new { user_id = memberId, roles = new[] { "member" } });
            await added.ExpectAsync(HttpStatusCode.Created);
            using var ownerGrant = await api.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{memberId}", new { roles = new[] { "owner" } });
            await ownerGrant.ProblemAsync(HttpStatusCode.BadRequest, "roles");
            using var invited = await api.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/invitations", new { email = "new@acme.example", roles = new[] { "member" } });
            await invited.ExpectAsync(HttpStatusCode.Created);

            using var admin = await server.AdminAsync();
            var (tenant, _) = await TenantFixture.ReadAsync(admin, tenantId);
            Assert.Equal(("Renamed by its admin", "active"), (tenant.GetProperty("display_name").GetString(), tenant.GetProperty("status").GetString()));
            var entry = Assert.Single(await admin.AuditAsync($"subject={tenantId}&event_type=tenant.updated"));
            Assert.Equal(("user", adminId), (entry.GetProperty("actor_type").GetString(), entry.GetProperty("actor_id").GetString()));
        }
    }

    [Fact]
    public async Task Every_route_of_another_tenant_and_every_platform_route_is_refused_and_nothing_changes()
    {
        var (ownTenant, _) = await server.TenantAsync("mine");
        var (otherTenant, otherSlug) = await server.TenantAsync("theirs");
        var (ownerId, username, _) = await server.VerifiedUserAsync("tow");
        var (victimId, _, _) = await server.VerifiedUserAsync("vic");
        await server.AddMemberAsync(ownTenant, ownerId, "owner");
        await server.AddMemberAsync(otherTenant, victimId, "owner");
        using var admin = await server.AdminAsync();
        using var invited = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{otherTenant}/invitations", new { email = "guest@acme.example", roles = new[] { "member" } });
        var invitationId = (await invited.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        using var subscribed = await admin.SendAsync(HttpMethod.Post, $"/admin/tenants/{otherTenant}/webhooks",
            new { url = "https://hooks.example.com/theirs", event_types = new[] { "tenant.deleted" }, tenant = otherSlug });
        var webhookId = (await subscribed.ExpectAsync(HttpStatusCode.Created)).GetProperty("webhook").GetProperty("id").GetString()!;
        var before = await SnapshotAsync(admin, otherTenant);

        var (browser, api) = await server.TenantAdminAsync(username);
        using (browser)
        using (api)
        {
            // Another tenant's routes, and a tenant that does not exist: the same 403, whatever exists.
            foreach (var tenantId in new[] { otherTenant, Guid.NewGuid().ToString() })
            {
                foreach (var (method, path, body) in TenantRoutes(tenantId, victimId, invitationId, webhookId))
                {
                    using var response = await api.SendAsync(method, path, body);
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
                }
            }

            // The platform's own routes, even for the tenant this person owns.
            foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
            {
                (HttpMethod.Get, "/admin/tenants", null),
                (HttpMethod.Post, "/admin/tenants", new { slug = "hijack-" + Guid.NewGuid().ToString("N")[..8], display_name = "Hijack" }),
                (HttpMethod.Delete, $"/admin/tenants/{ownTenant}", null),
                (HttpMethod.Delete, $"/admin/tenants/{otherTenant}", null),
                (HttpMethod.Get, "/admin/users", null),
                (HttpMethod.Get, $"/admin/users/{victimId}", null),
                (HttpMethod.Delete, $"/admin/users/{victimId}", null),
                (HttpMethod.Get, "/admin/clients", null),
                (HttpMethod.Get, "/admin/audit-events", null),
                (HttpMethod.Get, "/admin/signing-keys", null),
                (HttpMethod.Get, "/admin/emails", null),
                (HttpMethod.Get, "/admin/webhooks", null),
                (HttpMethod.Get, $"/admin/webhooks/{webhookId}", null),
                (HttpMethod.Post, "/admin/webhooks", new { url = "https://evil.example/hook" }),
            })
            {
                using var response = await api.SendAsync(method, path, body);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
            }
        }

        Assert.Equal(before, await SnapshotAsync(admin, otherTenant));
        await admin.GetUserAsync(victimId);
        await TenantFixture.ReadAsync(admin, ownTenant);
    }

    [Fact]
    public async Task A_member_without_an_admin_role_is_refused_and_a_removed_role_stops_the_same_token()
    {
        var (tenantId, _) = await server.TenantAsync("role");
        var (ownerId, _, _) = await server.VerifiedUserAsync("rown");
        var (personId, username, _) = await server.VerifiedUserAsync("rper");
        await server.AddMemberAsync(tenantId, ownerId, "owner");
        await server.AddMemberAsync(tenantId, personId, "member");
        using var admin = await server.AdminAsync();
        var (browser, api) = await server.TenantAdminAsync(username);
        using (browser)
        using (api)
        {
            using (var asMember = await api.GetAsync($"/admin/tenants/{tenantId}"))
            {
                await asMember.ProblemAsync(HttpStatusCode.Forbidden);
            }

            using (var promoted = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{personId}", new { roles = new[] { "admin" } }))
            {
                await promoted.ExpectAsync(HttpStatusCode.OK);
            }

            using (var asAdmin = await api.GetAsync($"/admin/tenants/{tenantId}/members"))
            {
                await asAdmin.ExpectAsync(HttpStatusCode.OK);
            }

            using (var demoted = await admin.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}/members/{personId}", new { roles = new[] { "member" } }))
            {
                await demoted.ExpectAsync(HttpStatusCode.OK);
            }

            using var afterDemotion = await api.GetAsync($"/admin/tenants/{tenantId}/members");
            await afterDemotion.ProblemAsync(HttpStatusCode.Forbidden);
            using var write = await api.SendAsync(HttpMethod.Put, $"/admin/tenants/{tenantId}", new { display_name = "After demotion" });
            await write.ProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task A_users_token_without_tenant_admin_is_no_admin_token_at_all()
    {
        var (tenantId, _) = await server.TenantAsync("noscope");
        var (personId, username, _) = await server.VerifiedUserAsync("nos");
        await server.AddMemberAsync(tenantId, personId, "owner");
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(TenantFixture.TenantAdminClient, TenantFixture.TenantAdminRedirect, "openid", pkce, username: username, password: UserAdmin.Password);
        using var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, TenantFixture.TenantAdminClient, TenantFixture.TenantAdminSecret, code, pkce.Verifier,
            TenantFixture.TenantAdminRedirect);
        var token = (await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true)).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/tenants/{tenantId}");
        request.Headers.Authorization = new("Bearer", token);

        using var response = await server.Client.SendAsync(request);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    // RFC 7009 §2.1, docs/adr/0040: the admin API's bearer check honours an ended refresh token family like introspection
    // does: revoking the family's refresh token makes its access token no admin token, and another family's stays one.
    [Fact]
    public async Task An_access_token_of_an_ended_family_is_refused_and_another_familys_is_not()
    {
        var (tenantId, _) = await server.TenantAsync("fam");
        var (personId, username, _) = await server.VerifiedUserAsync("fam");
        await server.AddMemberAsync(tenantId, personId, "admin");
        var ended = await OfflineTokensAsync(username);
        var kept = await OfflineTokensAsync(username);
        Assert.Equal(HttpStatusCode.OK, await ReadTenantAsync(tenantId, ended.AccessToken));

        await BackChannel.RevokedAsync(await server.Client.RevokeAsync(ended.RefreshToken,
            Infrastructure.Protocol.Basic(TenantFixture.TenantAdminClient, TenantFixture.TenantAdminSecret)));

        Assert.Equal(HttpStatusCode.Unauthorized, await ReadTenantAsync(tenantId, ended.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await ReadTenantAsync(tenantId, kept.AccessToken));
    }

    private async Task<(string AccessToken, string RefreshToken)> OfflineTokensAsync(string username)
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(TenantFixture.TenantAdminClient, TenantFixture.TenantAdminRedirect, "openid tenant_admin offline_access", pkce,
            username: username, password: UserAdmin.Password);
        using var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, TenantFixture.TenantAdminClient, TenantFixture.TenantAdminSecret, code, pkce.Verifier,
            TenantFixture.TenantAdminRedirect);
        var body = await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
        return (body.GetProperty("access_token").GetString()!, body.GetProperty("refresh_token").GetString()!);
    }

    private async Task<HttpStatusCode> ReadTenantAsync(string tenantId, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/tenants/{tenantId}");
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await server.Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Everything a refused request could have changed in a tenant: the tenant, its members, its invitations and its webhooks.</summary>
    private static async Task<string> SnapshotAsync(HttpClient admin, string tenantId)
    {
        var (tenant, etag) = await TenantFixture.ReadAsync(admin, tenantId);
        var members = await (await admin.GetAsync($"/admin/tenants/{tenantId}/members")).ExpectAsync(HttpStatusCode.OK);
        var invitations = await (await admin.GetAsync($"/admin/tenants/{tenantId}/invitations")).ExpectAsync(HttpStatusCode.OK);
        var webhooks = await (await admin.GetAsync($"/admin/tenants/{tenantId}/webhooks")).ExpectAsync(HttpStatusCode.OK);
        return string.Join('\n', etag, tenant.ToString(), members.ToString(), invitations.ToString(), webhooks.ToString());
    }
}
