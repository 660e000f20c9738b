using System.Text.Json;
using AuthService.Integration.Tests.Admin;

namespace AuthService.Integration.Tests.Webhooks;

/// <summary>The webhook operations in the OpenAPI document: every one, with a summary, a description and its error responses.</summary>
public sealed class WebhookOpenApiTests(SwaggerServerFixture server) : IClassFixture<SwaggerServerFixture>
{
    [Fact]
    public async Task Every_webhook_operation_is_documented_with_its_responses()
    {
        var paths = JsonDocument.Parse(await server.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement.GetProperty("paths");
        var operations = paths.EnumerateObject()
            .Where(p => p.Name.StartsWith("/admin/webhooks", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Key: $"{o.Name} {p.Name}", Operation: o.Value)))
            .ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!, o => o);

        var expected = new Dictionary<string, string>
        {
            ["CreateWebhook"] = "201 400 401",
            ["ListWebhooks"] = "200 400 401",
            ["GetWebhook"] = "200 401 404",
            ["UpdateWebhook"] = "200 400 401 404 412",
            ["DeleteWebhook"] = "204 401 404 412",
            ["RotateWebhookSecret"] = "200 401 404 412",
            ["ListWebhookDeliveries"] = "200 400 401 404",
            ["ReplayWebhookDelivery"] = "202 401 404 409",
        };
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), operations.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (key, operation)) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), key);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), key);
            Assert.True(operation.TryGetProperty("security", out _), $"{key} names the admin security scheme");
            foreach (var status in expected[name].Split(' '))
            {
                Assert.True(operation.GetProperty("responses").TryGetProperty(status, out _), $"{key} documents {status}");
            }
        }
    }
}
