using System.Net;
using AuthService.Application.Audit;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>
/// docs/adr/0039 "Disabling": a subscription whose deliveries fail for <c>Auth:Webhooks:DisableAfter</c> (one second here)
/// with nothing delivered meanwhile is disabled by the worker, audited as <c>webhook.disabled</c> by the system; an
/// administrator's PUT enables it again.
/// </summary>
public sealed class WebhookDisablingTests(QuicklyDisabledWebhookFixture server) : IClassFixture<QuicklyDisabledWebhookFixture>
{
    [Fact]
    public async Task A_subscription_whose_deliveries_keep_failing_is_disabled_with_an_audit_event_and_a_put_enables_it()
    {
        var (path, url) = server.Receiver.NewEndpoint("failing");
        var failing = true;
        server.Receiver.Answer[path] = _ => Volatile.Read(ref failing) ? 500 : 200;
        var (webhookId, _) = await server.SubscribeAsync(url, ["user.updated"]);
        await server.RecordAsync(new AuditRecord("user.updated", AuditEvents.User, Guid.NewGuid().ToString()));

        using var admin = await server.AdminAsync();
        var disabled = await Poll.UntilAsync(
            async () => await (await admin.GetAsync($"/admin/webhooks/{webhookId}")).ExpectAsync(HttpStatusCode.OK),
            w => !w.GetProperty("enabled").GetBoolean(), TimeSpan.FromSeconds(30), "the failing subscription disabled", w => w.ToString());
        Assert.Equal("failing", disabled.GetProperty("disabled_reason").GetString());
        var audit = Assert.Single(await admin.AuditAsync($"subject={webhookId}&event_type=webhook.disabled"));
        Assert.Equal("system", audit.GetProperty("actor_type").GetString());

        // Its pending delivery is given up once the worker sees the subscription disabled; a new event is not delivered to it.
        var given = await server.DeliveryAsync(webhookId, "user.updated", "failed");
        Assert.Contains("disabled", given.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        await server.RecordAsync(new AuditRecord("user.updated", AuditEvents.User, Guid.NewGuid().ToString()));
        Assert.Single(await server.DeliveriesAsync(webhookId));

        // Replaying is refused while it is disabled; the admin re-enables it with a PUT and the replay goes through.
        var original = given.GetProperty("id").GetString();
        using var refused = await admin.PostAsync($"/admin/webhooks/{webhookId}/deliveries/{original}/replay", null);
        await refused.ProblemAsync(HttpStatusCode.Conflict);
        Volatile.Write(ref failing, false);
        using var enable = await admin.SendAsync(HttpMethod.Put, $"/admin/webhooks/{webhookId}", new { url, event_types = new[] { "user.updated" }, enabled = true });
        var enabled = await enable.ExpectAsync(HttpStatusCode.OK);
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, enabled.GetProperty("disabled_reason").ValueKind);
        using var replay = await admin.PostAsync($"/admin/webhooks/{webhookId}/deliveries/{original}/replay", null);
        await replay.ExpectAsync(HttpStatusCode.Accepted);
        await Poll.UntilAsync(() => server.DeliveriesAsync(webhookId, "delivered"), d => d.Count == 1, TimeSpan.FromSeconds(30), "the replay delivered");
    }
}
