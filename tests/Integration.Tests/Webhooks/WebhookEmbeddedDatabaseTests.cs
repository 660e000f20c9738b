using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AuthService.Application.Audit;
using AuthService.Domain.Common;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>
/// The webhook outbox on the embedded SQLite database (ADR 0003: both providers): the fan-out, the claim with the order
/// rule in one UPDATE, and the delivery work there as on PostgreSQL.
/// </summary>
public sealed class WebhookEmbeddedDatabaseTests
{
    [Fact]
    public async Task On_the_embedded_database_events_are_delivered_signed_and_in_order_per_subject()
    {
        using var directory = new TempDirectory();
        await using var receiver = new WebhookReceiver();
        var settings = ServerSettings.For(
            connectionString: "",
            seedFile: directory.WriteFile("seed.json", AdminClients.SeedDocument().ToJsonString()),
            dataDirectory: Directory.CreateDirectory(directory.Combine("data")).FullName,
            overrides: new Dictionary<string, string?>
            {
                ["Auth:OutboundFetch:AllowLoopback"] = "true",
                ["Auth:Webhooks:PollInterval"] = "00:00:00.200",
                ["Auth:Webhooks:RetrySchedule:0"] = "00:00:00.300",
                ["Auth:Webhooks:RetrySchedule:1"] = "00:00:00.300",
            });
        await using var factory = new AuthServerFactory(settings);
        using var http = factory.CreateClient(new() { AllowAutoRedirect = false });
        var token = (await OAuthAssert.TokenSuccessAsync(await http.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret))))
            .GetProperty("access_token").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var (path, url) = receiver.NewEndpoint("sqlite");
        var failures = 0;
        receiver.Answer[path] = r => r.Body.Contains("\"user.updated\"", StringComparison.Ordinal) && Interlocked.Increment(ref failures) == 1 ? 503 : 200;
        using var created = await http.SendAsync(HttpMethod.Post, "/admin/webhooks", new { url, event_types = new[] { "user.updated", "user.deleted" } });
        var body = await created.ExpectAsync(HttpStatusCode.Created);
        var secret = body.GetProperty("secret").GetString()!;

        var subject = Guid.NewGuid().ToString();
        foreach (var type in new[] { "user.updated", "user.deleted" })
        {
            using var scope = factory.Services.CreateScope();
            scope.ServiceProvider.GetRequiredService<IAuditTrail>().Record(new AuditRecord(type, AuditEvents.User, subject));
            Assert.Equal(SaveResult.Saved, await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        }

        var received = await Poll.UntilAsync(() => Task.FromResult(receiver.At(path)), r => r.Count >= 3, TimeSpan.FromSeconds(30), "three POSTs");
        Assert.Equal(["user.updated", "user.updated", "user.deleted"],
            received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()));
        await WebhookFixture.VerifiedByStandardWebhooksAsync(secret, received[^1]);
    }
}
