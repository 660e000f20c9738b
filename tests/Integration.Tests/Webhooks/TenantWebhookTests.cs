using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>
/// A tenant administrator's own webhook subscriptions (docs/adr/0039 "Tenant administrators' subscriptions"), through a
/// person's code-flow token with <c>tenant_admin</c>, the real pipeline, PostgreSQL and a loopback receiver: the whole
/// life of a subscription on one's own tenant; the tenant filter fixed to that tenant and only tenant.* events; another
/// tenant's (or the platform's) subscription a 404 under one's own route; a plain member refused.
/// </summary>
public sealed class TenantWebhookTests(TenantWebhookFixture server) : IClassFixture<TenantWebhookFixture>
{
    /// <summary>A tenant, a person with <paramref name="role"/> in it, and that person's tenant admin API client.</summary>
    private async Task<Session> TenantAdminAsync(string prefix, string role = "admin")
    {
        var (tenantId, slug) = await server.TenantAsync(prefix);
        var (adminId, username, _) = await server.VerifiedUserAsync(prefix);
        await server.AddMemberAsync(tenantId, adminId, role);
        var (browser, api) = await server.TenantAdminAsync(username);
        return new Session(tenantId, slug, adminId, browser, api);
    }

    private sealed record Session(string TenantId, string Slug, string AdminId, Browser Browser, HttpClient Api) : IDisposable
    {
        public void Dispose()
        {
            Api.Dispose();
            Browser.Dispose();
        }
    }

    [Fact]
    public async Task A_tenant_admin_creates_reads_updates_rotates_replays_and_deletes_their_tenants_subscription()
    {
        using var session = await TenantAdminAsync("whown");
        var (tenantId, slug, adminId, api) = (session.TenantId, session.Slug, session.AdminId, session.Api);
        var (path, url) = server.Receiver.NewEndpoint("tenant-own");
        var routes = $"/admin/tenants/{tenantId}/webhooks";

        // No tenant in the body: the filter is implied.
        using var created = await api.SendAsync(HttpMethod.Post, routes, new { url, event_types = new[] { "tenant.member.added" }, description = "CRM" });
        var body = await created.ExpectAsync(HttpStatusCode.Created);
        var webhook = body.GetProperty("webhook");
        var id = webhook.Id();
        Assert.Equal(slug, webhook.GetProperty("tenant").GetString());
        Assert.StartsWith("whsec_", body.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal($"{routes}/{id}", created.Headers.Location!.OriginalString);

        using (var list = await api.GetAsync(routes))
        {
            Assert.Equal([id], (await list.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(w => w.Id()));
        }

        using var read = await api.GetAsync($"{routes}/{id}");
        await read.ExpectAsync(HttpStatusCode.OK);
        var etag = read.Headers.ETag!.Tag;
        using (var updated = await api.SendAsync(HttpMethod.Put, $"{routes}/{id}", new { url, event_types = new[] { "tenant.member.added" }, description = "CRM sync" }, etag))
        {
            var after = await updated.ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(("CRM sync", slug), (after.GetProperty("description").GetString(), after.GetProperty("tenant").GetString()));
        }

        using (var stale = await api.SendAsync(HttpMethod.Put, $"{routes}/{id}", new { url, description = "stale" }, etag))
        {
            await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using (var rotated = await api.PostAsync($"{routes}/{id}/secret", null))
        {
            Assert.StartsWith("whsec_", (await rotated.ExpectAsync(HttpStatusCode.OK)).GetProperty("secret").GetString(), StringComparison.Ordinal);
        }

        // An event of the tenant reaches the receiver; its delivery is listed and replayed through the tenant's routes.
        var (memberId, _, _) = await server.VerifiedUserAsync("whmem");
        await server.AddMemberAsync(tenantId, memberId, "member");
        var first = (await server.Receiver.ReceivedAsync(path))[0];
        using var deliveries = await api.GetAsync($"{routes}/{id}/deliveries");
        var delivery = Assert.Single((await deliveries.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal("tenant.member.added", delivery.GetProperty("event_type").GetString());
        using (var replayed = await api.PostAsync($"{routes}/{id}/deliveries/{delivery.Id()}/replay", null))
        {
            Assert.Equal(delivery.Id(), (await replayed.ExpectAsync(HttpStatusCode.Accepted)).GetProperty("replay_of").GetString());
        }

        Assert.Equal(first.Id, (await server.Receiver.ReceivedAsync(path, 2))[1].Id);

        // The platform's list shows it with its tenant filter.
        using var admin = await server.AdminAsync();
        using (var platformList = await admin.GetAsync("/admin/webhooks?limit=200"))
        {
            var listed = Assert.Single((await platformList.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray(), w => w.Id() == id);
            Assert.Equal(slug, listed.GetProperty("tenant").GetString());
        }

        using (var deleted = await api.SendAsync(HttpMethod.Delete, $"{routes}/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await api.GetAsync($"{routes}/{id}"))
        {
            await gone.ProblemAsync(HttpStatusCode.NotFound);
        }

        // Audited as the other webhook changes, with the person as the actor and the tenant's slug in the details.
        foreach (var type in new[] { "webhook.created", "webhook.updated", "webhook.secret_rotated", "webhook.delivery_replayed", "webhook.deleted" })
        {
            var entry = Assert.Single(await admin.AuditAsync($"subject={id}&event_type={type}"));
            Assert.Equal(("user", adminId), (entry.GetProperty("actor_type").GetString(), entry.GetProperty("actor_id").GetString()));
            Assert.Equal(slug, entry.GetProperty("details").GetProperty("tenant").GetString());
        }
    }

    [Fact]
    public async Task The_filter_is_the_routes_tenant_and_only_tenant_events_may_be_listed()
    {
        using var session = await TenantAdminAsync("whrule", "owner");
        var (_, otherSlug) = await server.TenantAsync("whrulx");
        var (tenantId, slug, api) = (session.TenantId, session.Slug, session.Api);
        var routes = $"/admin/tenants/{tenantId}/webhooks";
        const string url = "https://hooks.example.com/tenant";

        using (var otherTenant = await api.SendAsync(HttpMethod.Post, routes, new { url, tenant = otherSlug }))
        {
            await otherTenant.ProblemAsync(HttpStatusCode.BadRequest, "tenant");
        }

        foreach (var platformEvent in new[] { "user.created", "client.created", "signing_key.rotated", "session.ended" })
        {
            using var refused = await api.SendAsync(HttpMethod.Post, routes, new { url, event_types = new[] { "tenant.member.added", platformEvent } });
            await refused.ProblemAsync(HttpStatusCode.BadRequest, "event_types");
        }

        // Naming its own tenant is accepted; a PUT may not move the subscription to another tenant.
        using var created = await api.SendAsync(HttpMethod.Post, routes, new { url, tenant = slug });
        var id = (await created.ExpectAsync(HttpStatusCode.Created)).GetProperty("webhook").Id();
        using (var moved = await api.SendAsync(HttpMethod.Put, $"{routes}/{id}", new { url, tenant = otherSlug }))
        {
            await moved.ProblemAsync(HttpStatusCode.BadRequest, "tenant");
        }

        // The same rule on the platform's routes: a tenant filter with an event that carries no tenant would never deliver.
        using var admin = await server.AdminAsync();
        using var platform = await admin.SendAsync(HttpMethod.Post, "/admin/webhooks", new { url, tenant = slug, event_types = new[] { "user.created" } });
        await platform.ProblemAsync(HttpStatusCode.BadRequest, "event_types");
        using var read = await admin.GetAsync($"/admin/webhooks/{id}");
        Assert.Equal(slug, (await read.ExpectAsync(HttpStatusCode.OK)).GetProperty("tenant").GetString());
    }

    [Fact]
    public async Task Another_tenants_or_the_platforms_subscription_is_404_under_ones_own_tenant_and_unchanged()
    {
        using var session = await TenantAdminAsync("whmine");
        var (otherTenantId, otherSlug) = await server.TenantAsync("whtheirs");
        var (tenantId, api) = (session.TenantId, session.Api);
        using var admin = await server.AdminAsync();
        var (theirs, _) = await SubscribeAsPlatformAsync(admin, otherSlug);
        var (platforms, _) = await SubscribeAsPlatformAsync(admin, null);
        var before = await SnapshotAsync(admin, theirs, platforms);

        foreach (var id in new[] { theirs, platforms, Guid.NewGuid().ToString() })
        {
            var routes = $"/admin/tenants/{tenantId}/webhooks/{id}";
            foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
            {
                (HttpMethod.Get, routes, null),
                (HttpMethod.Put, routes, new { url = "https://evil.example/steal" }),
                (HttpMethod.Delete, routes, null),
                (HttpMethod.Post, routes + "/secret", null),
                (HttpMethod.Get, routes + "/deliveries", null),
                (HttpMethod.Post, $"{routes}/deliveries/{Guid.NewGuid()}/replay", null),
            })
            {
                using var response = await api.SendAsync(method, path, body);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            }
        }

        using (var list = await api.GetAsync($"/admin/tenants/{tenantId}/webhooks"))
        {
            Assert.Empty((await list.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        }

        // The platform, too, reaches through a tenant's routes only that tenant's subscriptions.
        using (var platformThroughTenant = await admin.GetAsync($"/admin/tenants/{otherTenantId}/webhooks/{platforms}"))
        {
            await platformThroughTenant.ProblemAsync(HttpStatusCode.NotFound);
        }

        using (var platformList = await admin.GetAsync($"/admin/tenants/{otherTenantId}/webhooks"))
        {
            Assert.Equal([theirs], (await platformList.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(w => w.Id()));
        }

        Assert.Equal(before, await SnapshotAsync(admin, theirs, platforms));
    }

    [Fact]
    public async Task A_member_without_an_admin_role_is_refused()
    {
        using var session = await TenantAdminAsync("whplain", "member");
        var (tenantId, api) = (session.TenantId, session.Api);

        using var list = await api.GetAsync($"/admin/tenants/{tenantId}/webhooks");
        await list.ProblemAsync(HttpStatusCode.Forbidden);
        using var create = await api.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/webhooks", new { url = "https://hooks.example.com/member" });
        await create.ProblemAsync(HttpStatusCode.Forbidden);
        using var admin = await server.AdminAsync();
        using var platformList = await admin.GetAsync($"/admin/tenants/{tenantId}/webhooks");
        Assert.Empty((await platformList.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_tenant_subscription_gets_its_tenants_member_added_but_not_another_tenants_nor_user_created()
    {
        using var session = await TenantAdminAsync("whevt");
        var (otherTenantId, _) = await server.TenantAsync("whevx");
        var (tenantId, slug, api) = (session.TenantId, session.Slug, session.Api);
        var (path, url) = server.Receiver.NewEndpoint("tenant-events");

        // No event types: every event of the tenant.
        using var created = await api.SendAsync(HttpMethod.Post, $"/admin/tenants/{tenantId}/webhooks", new { url });
        var id = (await created.ExpectAsync(HttpStatusCode.Created)).GetProperty("webhook").Id();

        // user.created (no tenant), the other tenant's member.added, then this tenant's member.added.
        var (personId, _, _) = await server.VerifiedUserAsync("whevp");
        await server.AddMemberAsync(otherTenantId, personId, "member");
        await server.AddMemberAsync(tenantId, personId, "member");

        // The deliveries are written in the save of each event, so this list is final for the three events.
        using var deliveries = await api.GetAsync($"/admin/tenants/{tenantId}/webhooks/{id}/deliveries");
        var delivery = Assert.Single((await deliveries.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal("tenant.member.added", delivery.GetProperty("event_type").GetString());
        var received = Assert.Single(await server.Receiver.ReceivedAsync(path));
        var data = JsonDocument.Parse(received.Body).RootElement.GetProperty("data");
        Assert.Equal((slug, tenantId, personId), (data.GetProperty("tenant").GetString(), data.GetProperty("subject_id").GetString(), data.GetProperty("user_id").GetString()));
    }

    [Fact]
    public async Task Deleting_a_tenant_deletes_the_subscriptions_filtered_on_it_so_a_later_tenant_of_that_slug_feeds_none()
    {
        using var session = await TenantAdminAsync("whdel");
        using var created = await session.Api.SendAsync(HttpMethod.Post, $"/admin/tenants/{session.TenantId}/webhooks", new { url = server.Receiver.NewEndpoint("tenant-deleted").Url });
        var id = (await created.ExpectAsync(HttpStatusCode.Created)).GetProperty("webhook").Id();
        using var admin = await server.AdminAsync();
        using (var removed = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{session.TenantId}/members/{session.AdminId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using (var deleted = await admin.SendAsync(HttpMethod.Delete, $"/admin/tenants/{session.TenantId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await admin.GetAsync($"/admin/webhooks/{id}"))
        {
            await gone.ProblemAsync(HttpStatusCode.NotFound);
        }

        var entry = Assert.Single(await admin.AuditAsync($"subject={id}&event_type=webhook.deleted"));
        Assert.Equal(session.Slug, entry.GetProperty("details").GetProperty("tenant").GetString());

        // The slug is free again: a new tenant that takes it has no subscription of the old one's.
        using var reborn = await admin.SendAsync(HttpMethod.Post, "/admin/tenants", new { slug = session.Slug, display_name = "Another organisation" });
        await reborn.ExpectAsync(HttpStatusCode.Created);
        using var list = await admin.GetAsync("/admin/webhooks?limit=200");
        Assert.DoesNotContain((await list.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray(), w => w.GetProperty("tenant").GetString() == session.Slug);
    }

    private static async Task<(string Id, string ETag)> SubscribeAsPlatformAsync(HttpClient admin, string? tenant)
    {
        using var response = await admin.SendAsync(HttpMethod.Post, "/admin/webhooks",
            new Dictionary<string, object?> { ["url"] = "https://hooks.example.com/platform", ["tenant"] = tenant, ["event_types"] = new[] { "tenant.deleted" } });
        return ((await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("webhook").Id(), response.Headers.ETag!.Tag);
    }

    /// <summary>What a refused request could have changed: the subscriptions with their ETags, and their deliveries.</summary>
    private static async Task<string> SnapshotAsync(HttpClient admin, params string[] ids)
    {
        var parts = new List<string>();
        foreach (var id in ids)
        {
            using var read = await admin.GetAsync($"/admin/webhooks/{id}");
            parts.Add(read.Headers.ETag!.Tag + (await read.ExpectAsync(HttpStatusCode.OK)));
            using var deliveries = await admin.GetAsync($"/admin/webhooks/{id}/deliveries");
            parts.Add((await deliveries.ExpectAsync(HttpStatusCode.OK)).ToString());
        }

        return string.Join('\n', parts);
    }
}
