using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary><c>/admin/webhooks</c>: create, read, list, conditional update and delete, each audited; bad input is a 400 naming the member.</summary>
public sealed class WebhookAdminTests(WebhookFixture server) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task Create_read_update_and_delete_honour_if_match_and_are_audited()
    {
        using var admin = await server.AdminAsync();
        var (_, url) = server.Receiver.NewEndpoint("crud");
        using var created = await admin.SendAsync(HttpMethod.Post, "/admin/webhooks",
            new { url, event_types = new[] { "user.deleted", "user.created", "user.created" }, description = "  CRM  " });
        var body = await created.ExpectAsync(HttpStatusCode.Created);
        var webhook = body.GetProperty("webhook");
        var id = webhook.GetProperty("id").GetString()!;
        Assert.Equal($"/admin/webhooks/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(["user.created", "user.deleted"], webhook.GetProperty("event_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("CRM", webhook.GetProperty("description").GetString());
        Assert.True(webhook.GetProperty("enabled").GetBoolean());
        Assert.Single(await admin.AuditAsync($"subject={id}&event_type=webhook.created"));

        using var read = await admin.GetAsync($"/admin/webhooks/{id}");
        await read.ExpectAsync(HttpStatusCode.OK);
        var etag = read.Headers.ETag!.Tag;

        using var list = await admin.GetAsync("/admin/webhooks?limit=200");
        Assert.Contains((await list.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray(), w => w.GetProperty("id").GetString() == id);

        using var updated = await admin.SendAsync(HttpMethod.Put, $"/admin/webhooks/{id}", new { url, enabled = false }, etag);
        var after = await updated.ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(after.GetProperty("event_types").EnumerateArray());
        Assert.False(after.GetProperty("enabled").GetBoolean());
        Assert.Equal("admin", after.GetProperty("disabled_reason").GetString());
        Assert.Single(await admin.AuditAsync($"subject={id}&event_type=webhook.updated"));
        Assert.Single(await admin.AuditAsync($"subject={id}&event_type=webhook.disabled"));

        using var stale = await admin.SendAsync(HttpMethod.Put, $"/admin/webhooks/{id}", new { url }, etag);
        await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        using var staleDelete = await admin.SendAsync(HttpMethod.Delete, $"/admin/webhooks/{id}", ifMatch: etag);
        await staleDelete.ProblemAsync(HttpStatusCode.PreconditionFailed);

        using var deleted = await admin.SendAsync(HttpMethod.Delete, $"/admin/webhooks/{id}", ifMatch: updated.Headers.ETag!.Tag);
        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        Assert.Single(await admin.AuditAsync($"subject={id}&event_type=webhook.deleted"));
        using var gone = await admin.GetAsync($"/admin/webhooks/{id}");
        await gone.ProblemAsync(HttpStatusCode.NotFound);
        using var goneDeliveries = await admin.GetAsync($"/admin/webhooks/{id}/deliveries");
        await goneDeliveries.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"event_types":["user.created"]}""", "url")]
    [InlineData("""{"url":"https://hooks.example.com/x","event_types":["user.exploded"]}""", "event_types")]
    [InlineData("""{"url":"https://hooks.example.com/x","tenant":"Not A Slug"}""", "tenant")]
    [InlineData("""{"url":"https://hooks.example.com/x","description":"line\nbreak"}""", "description")]
    [InlineData("""{"url":"https://hooks.example.com/x#fragment"}""", "url")]
    public async Task Bad_settings_are_a_400_naming_the_member(string json, string field)
    {
        using var admin = await server.AdminAsync();
        using var response = await admin.SendAsync(HttpMethod.Post, "/admin/webhooks", json);
        await response.ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task The_deliveries_list_pages_by_cursor_and_filters_by_status()
    {
        var (path, url) = server.Receiver.NewEndpoint("paging");
        var (id, _) = await server.SubscribeAsync(url, ["user.updated"]);
        await server.RecordAsync([.. Enumerable.Range(0, 3).Select(_ => new Application.Audit.AuditRecord("user.updated", "user", Guid.NewGuid().ToString()))]);
        await server.ReceivedAsync(path, 3);

        using var admin = await server.AdminAsync();
        var first = await (await admin.GetAsync($"/admin/webhooks/{id}/deliveries?limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var cursor = first.GetProperty("next_cursor").GetString()!;
        var second = await (await admin.GetAsync($"/admin/webhooks/{id}/deliveries?limit=2&cursor={Uri.EscapeDataString(cursor)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(second.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
        var ids = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Equal(3, ids.Distinct().Count());

        await Poll.UntilAsync(() => server.DeliveriesAsync(id, "delivered"), d => d.Count == 3, TimeSpan.FromSeconds(30), "three delivered");
        Assert.Empty(await server.DeliveriesAsync(id, "failed"));
        using var bogus = await admin.GetAsync($"/admin/webhooks/{id}/deliveries?status=bogus");
        await bogus.ProblemAsync(HttpStatusCode.BadRequest, "status");

        // A cursor of another subscription's list is not one of this list.
        var (_, otherUrl) = server.Receiver.NewEndpoint("paging-other");
        var (otherId, _) = await server.SubscribeAsync(otherUrl, ["user.updated"]);
        using var foreign = await admin.GetAsync($"/admin/webhooks/{otherId}/deliveries?cursor={Uri.EscapeDataString(cursor)}");
        await foreign.ProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }
}
