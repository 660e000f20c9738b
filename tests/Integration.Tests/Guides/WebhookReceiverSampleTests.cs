using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Webhooks;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// samples/WebhookReceiver (docs/guides/webhooks.md), run as a reader runs it (<c>node server.mjs</c> with the secret in
/// <c>WEBHOOK_SECRET</c>), as the receiver of a subscription of the webhook fixture's server: the server's deliveries are
/// accepted, a replay with the same <c>webhook-id</c> is acknowledged but not processed again, and a tampered body, an
/// old or future timestamp, another secret's signature and missing headers are refused (Standard Webhooks, "Verifying
/// webhooks").
/// </summary>
public sealed class WebhookReceiverSampleTests(WebhookFixture server) : IClassFixture<WebhookFixture>
{
    private static string SampleDirectory => Path.Combine(Repository.Root, "samples", "WebhookReceiver");

    [Fact]
    public async Task The_sample_accepts_the_servers_delivery_and_processes_a_replay_once()
    {
        var port = ServerProcess.FreePort();
        var (webhookId, secret) = await server.SubscribeAsync($"http://127.0.0.1:{port}/webhooks", ["user.created"]);
        await using var sample = await StartSampleAsync(port, secret);

        using var admin = await server.AdminAsync();
        var userId = (await admin.CreateAsync(UserAdmin.NewUsername("sample"))).Id();
        var delivery = await server.DeliveryAsync(webhookId, "user.created", "delivered");
        Assert.Equal(204, Assert.Single(delivery.GetProperty("attempt_log").EnumerateArray()).GetProperty("status_code").GetInt32());
        var accepted = Assert.Single(await AcceptedAsync(port));
        Assert.Equal("user.created", accepted.GetProperty("type").GetString());
        Assert.Equal(userId, accepted.GetProperty("data").GetProperty("subject_id").GetString());
        Assert.Equal(delivery.GetProperty("webhook_id").GetString(), accepted.GetProperty("webhook_id").GetString());

        // At-least-once delivery: the same event again (same webhook-id) is acknowledged with 200 and not processed twice.
        using var replay = await admin.PostAsync($"/admin/webhooks/{webhookId}/deliveries/{delivery.GetProperty("id").GetString()}/replay", null);
        var replayId = (await replay.ExpectAsync(HttpStatusCode.Accepted)).GetProperty("id").GetString();
        var replayed = await Poll.UntilAsync(
            async () => (await server.DeliveriesAsync(webhookId)).FirstOrDefault(d => d.GetProperty("id").GetString() == replayId),
            d => d.ValueKind == JsonValueKind.Object && d.GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(30), "the replay delivered", d => d.ValueKind == JsonValueKind.Object ? d.ToString() : "none");
        Assert.Equal(200, Assert.Single(replayed.GetProperty("attempt_log").EnumerateArray()).GetProperty("status_code").GetInt32());
        Assert.Single(await AcceptedAsync(port));
        Assert.Contains("\"duplicate\":\"" + accepted.GetProperty("webhook_id").GetString(), sample.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sample_refuses_a_tampered_body_a_stale_timestamp_another_secret_and_missing_headers()
    {
        var port = ServerProcess.FreePort();
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await using var sample = await StartSampleAsync(port, secret);
        using var http = new HttpClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string body = """{"type":"user.deleted","timestamp":"2026-12-07T10:15:03.512Z","data":{"subject_type":"user","subject_id":"u-1"}}""";

        // A genuine delivery, signed as the server signs (src/Infrastructure/Webhooks/WebhookSignature.cs): accepted.
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(http, port, "msg_genuine", now, Sign(secret, "msg_genuine", now, body), body));

        // The body changed after signing (one character).
        var tampered = body.Replace("u-1", "u-2", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, port, "msg_tampered", now, Sign(secret, "msg_tampered", now, body), tampered));

        // Signed correctly, but an hour old or an hour ahead: outside the five-minute tolerance (a captured delivery replayed).
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, port, "msg_old", now - 3600, Sign(secret, "msg_old", now - 3600, body), body));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, port, "msg_future", now + 3600, Sign(secret, "msg_future", now + 3600, body), body));

        // The timestamp changed after signing: the signature covers it.
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, port, "msg_ts", now - 1, Sign(secret, "msg_ts", now, body), body));

        // Another secret's signature, and a genuine one beside it (a rotation: any listed signature may match).
        var other = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, port, "msg_other", now, Sign(other, "msg_other", now, body), body));
        Assert.Equal(HttpStatusCode.NoContent,
            await PostAsync(http, port, "msg_rotated", now, Sign(other, "msg_rotated", now, body) + " " + Sign(secret, "msg_rotated", now, body), body));

        // No signature header at all.
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(http, port, "msg_bare", now, null, body));

        var accepted = await AcceptedAsync(port);
        string[] expected = ["msg_genuine", "msg_rotated"];
        Assert.Equal(expected, accepted.Select(e => e.GetProperty("webhook_id").GetString()!).ToArray());
    }

    private static string Sign(string secret, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]),
            Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}.{body}"))));

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, int port, string id, long timestamp, string? signature, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/webhooks"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        if (signature is not null)
        {
            request.Headers.Add("webhook-signature", signature);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<List<JsonElement>> AcceptedAsync(int port)
    {
        using var http = new HttpClient();
        var events = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/events"))).RootElement;
        return [.. events.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<ServerProcess> StartSampleAsync(int port, string secret)
    {
        var sample = ServerProcess.StartProgram("node", SampleDirectory, ["server.mjs", "--port", port.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["WEBHOOK_SECRET"] = secret });
        try
        {
            await sample.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(30), probe: "/events");
            return sample;
        }
        catch
        {
            await sample.DisposeAsync();
            throw;
        }
    }
}
