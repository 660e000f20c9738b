using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>
/// Webhook delivery with real server processes on one PostgreSQL database (docs/adr/0039 "Delivery"): a process SIGKILLed
/// in the middle of an attempt (after the commit, before the outcome is stored) leaves the delivery to its restart, which
/// sends it again once the lease ran out; two replicas polling the same outbox never send one event to one receiver at
/// the same moment, and send each attempt once.
/// </summary>
public sealed class WebhookReplicaTests(ITestOutputHelper log)
{
    private static Dictionary<string, string> Settings(string pollInterval) => new()
    {
        ["Auth__OutboundFetch__AllowLoopback"] = "true",
        ["Auth__Webhooks__PollInterval"] = pollInterval,
        ["Auth__Webhooks__RequestTimeout"] = "00:00:02",
        ["Auth__Webhooks__Lease"] = "00:00:08",
        ["Auth__Webhooks__RetrySchedule__0"] = "00:00:00.300",
        ["Auth__Webhooks__RetrySchedule__1"] = "00:00:00.300",
        ["Auth__Webhooks__RetrySchedule__2"] = "00:00:00.300",
        ["Auth__Webhooks__RetrySchedule__3"] = "00:00:00.300",
        ["Auth__Webhooks__RetrySchedule__4"] = "00:00:00.300",
        ["Auth__Webhooks__RetrySchedule__5"] = "00:00:00.300",
    };

    private static async Task<ReplicaSet> ReplicasAsync(TestDatabase database, string pollInterval)
    {
        var replicas = new ReplicaSet(database.ConnectionString, Settings(pollInterval));
        await File.WriteAllTextAsync(replicas.SeedFile, AdminClients.SeedDocument().ToJsonString());
        return replicas;
    }

    private static async Task<HttpClient> AdminAsync(Replica replica)
    {
        var token = (await OAuthAssert.TokenSuccessAsync(await replica.Client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret))))
            .GetProperty("access_token").GetString()!;
        var admin = new HttpClient { BaseAddress = replica.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return admin;
    }

    private static async Task<string> SubscribeAsync(Replica replica, string url)
    {
        using var admin = await AdminAsync(replica);
        using var response = await admin.SendAsync(HttpMethod.Post, "/admin/webhooks", new { url, event_types = new[] { "user.created" } });
        return (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("webhook").GetProperty("id").GetString()!;
    }

    private static async Task<string> CreateUserAsync(Replica replica)
    {
        using var admin = await AdminAsync(replica);
        return (await admin.CreateAsync(UserAdmin.NewUsername("rep"))).Id();
    }

    private static async Task<List<JsonElement>> DeliveriesAsync(Replica replica, string webhookId)
    {
        using var admin = await AdminAsync(replica);
        using var response = await admin.GetAsync($"/admin/webhooks/{webhookId}/deliveries?limit=200");
        return [.. (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];
    }

    [Fact]
    public async Task A_process_killed_during_an_attempt_leaves_the_event_to_be_delivered_after_the_lease()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = new WebhookReceiver();
        var (path, url) = receiver.NewEndpoint("killed");
        receiver.Hang[path] = true;
        await using var first = await ReplicasAsync(database, "00:00:00.200");
        var a = await first.StartAsync("A");
        var webhookId = await SubscribeAsync(a, url);
        var userId = await CreateUserAsync(a);

        // A's attempt reached the receiver, which does not answer: A is SIGKILLed in the middle of it, its outcome never stored.
        await Poll.UntilAsync(() => Task.FromResult(receiver.At(path).Count), n => n == 1, TimeSpan.FromSeconds(30), "A's attempt");
        await ReplicaSet.KillAsync(a);
        receiver.Hang.TryRemove(path, out _);
        log.WriteLine($"{a} SIGKILLed during its attempt for the user.created of {userId}");

        await using var restarted = await ReplicasAsync(database, "00:00:00.200");
        var replacement = await restarted.StartAsync("A-restarted");
        var delivered = await Poll.UntilAsync(
            async () => (await DeliveriesAsync(replacement, webhookId)).Single(),
            d => d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(60), "the delivery completed by the restarted process", d => d.ToString());

        // Sent again with the same webhook-id (the receiver de-duplicates); the killed attempt left no record, the second did.
        var received = receiver.At(path);
        Assert.Equal(2, received.Count);
        Assert.Single(received.Select(r => r.Id).Distinct());
        Assert.Contains(userId, received[1].Body, StringComparison.Ordinal);
        Assert.Equal(1, delivered.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Two_replicas_never_send_one_event_at_the_same_moment_and_send_each_attempt_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = new WebhookReceiver();
        var (path, url) = receiver.NewEndpoint("replicas");

        // Each event fails twice (503) before it is accepted, so both replicas keep retrying every delivery.
        var answered = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        receiver.Answer[path] = r => answered.AddOrUpdate(r.Id!, 1, (_, n) => n + 1) <= 2 ? 503 : 200;
        await using var replicas = await ReplicasAsync(database, "00:00:00.100");
        var all = await replicas.StartAsync("A", "B");
        var webhookId = await SubscribeAsync(all[0], url);
        for (var i = 0; i < 6; i++)
        {
            await CreateUserAsync(all[i % 2]);
        }

        var final = await Poll.UntilAsync(
            () => DeliveriesAsync(all[1], webhookId),
            d => d.Count == 6 && d.All(e => e.GetProperty("status").GetString() == "delivered"),
            TimeSpan.FromSeconds(60), "six deliveries delivered", d => string.Join("\n", d));

        Assert.Equal(0, receiver.Overlaps);
        foreach (var delivery in final)
        {
            var id = delivery.GetProperty("webhook_id").GetString()!;
            Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
            Assert.Equal(3, receiver.At(path).Count(r => r.Id == id));
        }

        log.WriteLine(string.Join("\n", final.Select(d => $"{d.GetProperty("webhook_id")}: {d.GetProperty("attempts")} attempts")));
    }
}
