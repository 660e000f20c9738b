using System.Net;
using AuthService.Application.Audit;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>
/// Server-side request forgery (CWE-918) through webhook URLs, on a server that may not reach loopback (the default): a
/// literal private, link-local or loopback address or plain http is refused when the subscription is written; a name that
/// resolves to 127.0.0.1 is accepted but never connected to (the address is checked when the socket connects).
/// </summary>
public sealed class WebhookOutboundTests(NoLoopbackWebhookFixture server) : IClassFixture<NoLoopbackWebhookFixture>
{
    [Theory]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://[fd00:ec2::254]/hook")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://hooks.example.com/hook")]
    [InlineData("https://user:pass@hooks.example.com/hook")]
    [InlineData("ftp://hooks.example.com/hook")]
    [InlineData("not a url")]
    public async Task A_url_the_server_would_not_reach_is_refused_when_subscribing(string url)
    {
        using var admin = await server.AdminAsync();
        using var response = await admin.SendAsync(HttpMethod.Post, "/admin/webhooks", new { url });
        await response.ProblemAsync(HttpStatusCode.BadRequest, "url");
    }

    [Fact]
    public async Task A_name_resolving_to_loopback_is_never_connected_to()
    {
        var (path, _) = server.Receiver.NewEndpoint("rebind");
        var port = new Uri(server.Receiver.BaseUrl).Port;
        var (webhookId, _) = await server.SubscribeAsync($"https://localhost:{port}{path}", ["user.deleted"]);
        await server.RecordAsync(new AuditRecord("user.deleted", AuditEvents.User, Guid.NewGuid().ToString()));

        var delivery = await server.DeliveryAsync(webhookId, "user.deleted", "failed");
        var attempts = delivery.GetProperty("attempt_log").EnumerateArray().ToList();
        Assert.Equal(6, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("refused_address", a.GetProperty("error").GetString()));
        Assert.All(attempts, a => Assert.Equal(System.Text.Json.JsonValueKind.Null, a.GetProperty("status_code").ValueKind));
        Assert.Empty(server.Receiver.At(path));
    }
}
