using System.Net;
using System.Text.Json;
using AuthService.Application.Audit;
using AuthService.Domain.Common;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Interop;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>
/// The admin fixture with a <see cref="WebhookReceiver"/> on loopback (which outbound requests may reach), and a webhook
/// worker that polls every 200 ms and retries on a short schedule (five waits of 300 ms), so outages and retries play out
/// in a second or two with no test clock and no sleeping.
/// </summary>
public class WebhookFixture : AdminFixture, IAsyncDisposable
{
    public WebhookReceiver Receiver { get; } = new();

    /// <summary><c>Auth:Webhooks:DisableAfter</c>: long here, so no test's outage disables its subscription by accident.</summary>
    protected virtual string DisableAfter => "01:00:00";

    protected override IReadOnlyDictionary<string, string?> Overrides => WorkerSettings(DisableAfter);

    /// <summary>Loopback allowed, the quick worker and its short retry schedule; also for fixtures of another base (tenants).</summary>
    public static Dictionary<string, string?> WorkerSettings(string disableAfter) => new()
    {
        ["Auth:OutboundFetch:AllowLoopback"] = "true",
        ["Auth:Webhooks:PollInterval"] = "00:00:00.200",
        ["Auth:Webhooks:RetrySchedule:0"] = "00:00:00.300",
        ["Auth:Webhooks:RetrySchedule:1"] = "00:00:00.300",
        ["Auth:Webhooks:RetrySchedule:2"] = "00:00:00.300",
        ["Auth:Webhooks:RetrySchedule:3"] = "00:00:00.300",
        ["Auth:Webhooks:RetrySchedule:4"] = "00:00:00.300",
        ["Auth:Webhooks:DisableAfter"] = disableAfter,
    };

    async ValueTask IAsyncDisposable.DisposeAsync() => await Receiver.DisposeAsync();

    /// <summary>Creates a subscription through the admin API; its id and the secret shown once.</summary>
    public async Task<(string Id, string Secret)> SubscribeAsync(string url, string[]? eventTypes = null, string? tenant = null)
    {
        using var admin = await AdminAsync();
        using var response = await admin.SendAsync(HttpMethod.Post, "/admin/webhooks",
            new Dictionary<string, object?> { ["url"] = url, ["event_types"] = eventTypes, ["tenant"] = tenant, ["description"] = "test receiver" });
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        return (body.GetProperty("webhook").GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    /// <summary>The subscription's deliveries as the admin API lists them, newest first.</summary>
    public async Task<List<JsonElement>> DeliveriesAsync(string webhookId, string? status = null)
    {
        using var admin = await AdminAsync();
        using var response = await admin.GetAsync($"/admin/webhooks/{webhookId}/deliveries" + (status is null ? "" : "?status=" + status));
        var page = await response.ExpectAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    /// <summary>Waits until <paramref name="count"/> POSTs arrived at <paramref name="path"/>.</summary>
    public Task<List<ReceivedWebhook>> ReceivedAsync(string path, int count = 1) => Receiver.ReceivedAsync(path, count);

    /// <summary>Waits until the subscription's only delivery of <paramref name="eventType"/> reached <paramref name="status"/>.</summary>
    public Task<JsonElement> DeliveryAsync(string webhookId, string eventType, string status) =>
        Poll.UntilAsync(
            async () => (await DeliveriesAsync(webhookId)).FirstOrDefault(d => d.GetProperty("event_type").GetString() == eventType),
            d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == status,
            TimeSpan.FromSeconds(30), $"a {eventType} delivery {status}", d => d.ValueKind == JsonValueKind.Object ? d.ToString() : "none");

    /// <summary>Writes audit records in one save, the way a change does (IAuditTrail + IUnitOfWork): e.g. the tenant events.</summary>
    public async Task RecordAsync(params AuditRecord[] records)
    {
        using var scope = Factory.Services.CreateScope();
        var trail = scope.ServiceProvider.GetRequiredService<IAuditTrail>();
        foreach (var record in records)
        {
            trail.Record(record);
        }

        Assert.Equal(SaveResult.Saved, await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
    }

    /// <summary>The delivery verified by the standardwebhooks npm package (signature and timestamp tolerance); its payload.</summary>
    public static async Task<JsonElement> VerifiedByStandardWebhooksAsync(string secret, ReceivedWebhook received)
    {
        var (exitCode, stdout, stderr) = await NodeScript.RunAsync("webhook-verify.mjs", secret, received.Id!, received.Timestamp!, received.Signature!, received.Body);
        Assert.True(exitCode == 0, stderr);
        var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.Clone();
        Assert.True(result.GetProperty("verified").GetBoolean(), $"standardwebhooks refused the delivery: {result}");
        return result.GetProperty("payload");
    }
}

/// <summary>A <see cref="WebhookFixture"/> whose subscriptions are disabled after one second of failing deliveries.</summary>
public sealed class QuicklyDisabledWebhookFixture : WebhookFixture
{
    protected override string DisableAfter => "00:00:01";
}

/// <summary>A server that may not reach loopback (the operator's default): a receiver there is never connected to.</summary>
public sealed class NoLoopbackWebhookFixture : WebhookFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides =>
        new Dictionary<string, string?>(base.Overrides) { ["Auth:OutboundFetch:AllowLoopback"] = "false" };
}
