using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.Application.Audit;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>
/// Webhook events through the real pipeline and PostgreSQL (docs/adr/0039): a change committed through the admin API (or
/// an audit record written the way a change writes it) is delivered to a loopback receiver, signed per Standard Webhooks
/// and verified by the standardwebhooks npm package; retried after an outage with the same webhook-id; in order per
/// subject; replayed; filtered by tenant; signed with both secrets after a rotation.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookFixture server) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task A_user_created_through_the_admin_api_is_delivered_signed_and_standardwebhooks_verifies_it()
    {
        var (path, url) = server.Receiver.NewEndpoint("created");
        var (webhookId, secret) = await server.SubscribeAsync(url, ["user.created"]);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.InRange(Convert.FromBase64String(secret["whsec_".Length..]).Length, 24, 64);

        using var admin = await server.AdminAsync();
        var userId = (await admin.CreateAsync(UserAdmin.NewUsername("wh"))).Id();
        var received = await Poll.UntilAsync(() => Task.FromResult(server.Receiver.At(path).FirstOrDefault(r => r.Body.Contains(userId, StringComparison.Ordinal))),
            r => r is not null, TimeSpan.FromSeconds(30), $"the user.created event of {userId}");

        Assert.StartsWith("application/json", received!.ContentType, StringComparison.Ordinal);
        Assert.StartsWith("msg_", received.Id, StringComparison.Ordinal);
        Assert.Matches("^[0-9]+$", received.Timestamp!);

        // Standard Webhooks "Signature scheme", checked by hand: v1, base64(HMAC-SHA256(base64-decoded secret, id.timestamp.body)).
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]),
            Encoding.UTF8.GetBytes($"{received.Id}.{received.Timestamp}.{received.Body}")));
        Assert.Equal(expected, received.Signature);

        // And by the reference implementation, which also checks the timestamp is within its tolerance of now.
        var payload = await WebhookFixture.VerifiedByStandardWebhooksAsync(secret, received);
        Assert.Equal("user.created", payload.GetProperty("type").GetString());
        Assert.True(DateTimeOffset.TryParseExact(payload.GetProperty("timestamp").GetString(), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
            payload.ToString());
        Assert.Equal("user", payload.GetProperty("data").GetProperty("subject_type").GetString());
        Assert.Equal(userId, payload.GetProperty("data").GetProperty("subject_id").GetString());
        Assert.DoesNotContain("password", received.Body, StringComparison.OrdinalIgnoreCase);

        // The secret is never readable again; the delivery and its attempt are.
        using var read = await admin.GetAsync($"/admin/webhooks/{webhookId}");
        var webhook = await read.ExpectAsync(HttpStatusCode.OK);
        Assert.False(webhook.TryGetProperty("secret", out _));
        Assert.DoesNotContain(secret["whsec_".Length..], webhook.ToString(), StringComparison.Ordinal);
        var delivery = await server.DeliveryAsync(webhookId, "user.created", "delivered");
        Assert.Equal(received.Id, delivery.GetProperty("webhook_id").GetString());
        Assert.Equal(200, Assert.Single(delivery.GetProperty("attempt_log").EnumerateArray()).GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task A_receiver_outage_is_retried_with_the_same_webhook_id_and_the_attempts_are_listed()
    {
        var (path, url) = server.Receiver.NewEndpoint("outage");
        var (webhookId, secret) = await server.SubscribeAsync(url, ["user.updated"]);
        server.Receiver.FailFirst(path, 2);

        await server.RecordAsync(new AuditRecord("user.updated", AuditEvents.User, Guid.NewGuid().ToString()));

        var received = await server.ReceivedAsync(path, 3);
        Assert.Single(received.Select(r => r.Id).Distinct());
        await WebhookFixture.VerifiedByStandardWebhooksAsync(secret, received[^1]);
        var delivery = await server.DeliveryAsync(webhookId, "user.updated", "delivered");
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        var attempts = delivery.GetProperty("attempt_log").EnumerateArray().ToList();
        Assert.Equal([503, 503, 204], attempts.Select(a => a.GetProperty("status_code").GetInt32()));

        // The receiver's answer is kept as a short excerpt of printable ASCII only (its control character became '?').
        Assert.Equal("receiver says 503?", attempts[0].GetProperty("response_excerpt").GetString());
        Assert.Equal(JsonValueKind.Null, attempts[2].GetProperty("response_excerpt").ValueKind);
    }

    [Fact]
    public async Task Deliveries_of_one_subject_wait_for_the_earlier_one_while_other_subjects_go_ahead()
    {
        var (path, url) = server.Receiver.NewEndpoint("order");
        var (webhookId, _) = await server.SubscribeAsync(url, ["user.updated", "user.deleted", "user.created"]);
        var failures = 0;
        server.Receiver.Answer[path] = r => r.Body.Contains("\"user.updated\"", StringComparison.Ordinal) && Interlocked.Increment(ref failures) <= 3 ? 503 : 200;
        var subject = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();

        await server.RecordAsync(new AuditRecord("user.updated", AuditEvents.User, subject));
        await server.RecordAsync(new AuditRecord("user.deleted", AuditEvents.User, subject), new AuditRecord("user.created", AuditEvents.User, other));

        var received = await server.ReceivedAsync(path, 6);
        var types = received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()).ToList();
        var lastUpdated = types.LastIndexOf("user.updated");
        Assert.Equal(4, types.Count(t => t == "user.updated"));
        Assert.True(types.IndexOf("user.deleted") > lastUpdated, $"user.deleted was sent before the earlier user.updated was delivered: {string.Join(", ", types)}");
        Assert.Single(types, "user.deleted");

        // The other subject was never held back: its one attempt succeeded.
        var otherDelivery = await server.DeliveryAsync(webhookId, "user.created", "delivered");
        Assert.Equal(1, otherDelivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_replay_sends_the_same_event_again_with_the_same_webhook_id()
    {
        var (path, url) = server.Receiver.NewEndpoint("replay");
        var (webhookId, secret) = await server.SubscribeAsync(url, ["session.ended"]);
        await server.RecordAsync(new AuditRecord("session.ended", AuditEvents.User, Guid.NewGuid().ToString(),
            Details: new Dictionary<string, string?> { ["session_id"] = Guid.NewGuid().ToString() }));
        var first = (await server.ReceivedAsync(path))[0];
        var original = await server.DeliveryAsync(webhookId, "session.ended", "delivered");

        using var admin = await server.AdminAsync();
        using var replay = await admin.PostAsync($"/admin/webhooks/{webhookId}/deliveries/{original.GetProperty("id").GetString()}/replay", null);
        var queued = await replay.ExpectAsync(HttpStatusCode.Accepted);
        Assert.Equal(original.GetProperty("id").GetString(), queued.GetProperty("replay_of").GetString());
        Assert.Equal(first.Id, queued.GetProperty("webhook_id").GetString());

        var again = (await server.ReceivedAsync(path, 2))[1];
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Body, again.Body);
        await WebhookFixture.VerifiedByStandardWebhooksAsync(secret, again);
        var audited = await admin.AuditAsync($"subject={webhookId}&event_type=webhook.delivery_replayed");
        Assert.Single(audited);

        using var unknown = await admin.PostAsync($"/admin/webhooks/{webhookId}/deliveries/{Guid.NewGuid()}/replay", null);
        await unknown.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_tenant_filter_delivers_only_that_tenants_events()
    {
        var acme = $"acme-{Guid.NewGuid():N}"[..20];
        var globex = $"globex-{Guid.NewGuid():N}"[..20];
        var (filteredPath, filteredUrl) = server.Receiver.NewEndpoint("tenant-filtered");
        var (allPath, allUrl) = server.Receiver.NewEndpoint("tenant-all");
        var (filteredId, _) = await server.SubscribeAsync(filteredUrl, tenant: acme);
        var (allId, _) = await server.SubscribeAsync(allUrl, ["tenant.created", "tenant.member.added"]);

        // The tenants' audit records as the tenant model writes them: subject the tenant's id, Details["tenant"] its slug.
        var acmeId = Guid.NewGuid().ToString();
        await server.RecordAsync(
            new AuditRecord("tenant.created", "tenant", acmeId, Details: new Dictionary<string, string?> { ["tenant"] = acme }),
            new AuditRecord("tenant.created", "tenant", Guid.NewGuid().ToString(), Details: new Dictionary<string, string?> { ["tenant"] = globex }),
            new AuditRecord("tenant.member.added", "tenant", acmeId, Details: new Dictionary<string, string?> { ["tenant"] = acme, ["user_id"] = Guid.NewGuid().ToString() }));

        // The deliveries are written with the records: what each subscription gets is decided at that commit.
        var filtered = await server.DeliveriesAsync(filteredId);
        Assert.Equal(["tenant.created", "tenant.member.added"], filtered.Select(d => d.GetProperty("event_type").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await server.DeliveriesAsync(allId)).Count);

        var received = await server.ReceivedAsync(filteredPath, 2);
        Assert.All(received, r => Assert.Equal(acme, JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("tenant").GetString()));
        var member = received.Select(r => JsonDocument.Parse(r.Body).RootElement).Single(p => p.GetProperty("type").GetString() == "tenant.member.added");
        Assert.Equal(acmeId, member.GetProperty("data").GetProperty("subject_id").GetString());
        Assert.True(member.GetProperty("data").TryGetProperty("user_id", out _));
        await server.ReceivedAsync(allPath, 3);
    }

    [Fact]
    public async Task After_a_rotation_deliveries_carry_both_signatures_and_each_secret_verifies()
    {
        var (path, url) = server.Receiver.NewEndpoint("rotate");
        var (webhookId, oldSecret) = await server.SubscribeAsync(url, ["consent.revoked"]);
        using var admin = await server.AdminAsync();
        using var rotate = await admin.PostAsync($"/admin/webhooks/{webhookId}/secret", null);
        var rotated = await rotate.ExpectAsync(HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(JsonValueKind.String, rotated.GetProperty("previous_secret_expires_at").ValueKind);

        await server.RecordAsync(new AuditRecord("consent.revoked", AuditEvents.User, Guid.NewGuid().ToString(), ClientId: "CW"));
        var received = (await server.ReceivedAsync(path))[0];
        Assert.Equal(2, received.Signature!.Split(' ').Length);
        await WebhookFixture.VerifiedByStandardWebhooksAsync(newSecret, received);
        await WebhookFixture.VerifiedByStandardWebhooksAsync(oldSecret, received);
        Assert.Single(await admin.AuditAsync($"subject={webhookId}&event_type=webhook.secret_rotated"));
    }
}
