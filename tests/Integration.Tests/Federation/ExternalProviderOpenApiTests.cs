using System.Text.Json;
using AuthService.Integration.Tests.Admin;

namespace AuthService.Integration.Tests.Federation;

/// <summary>The external-provider operations in the OpenAPI document: every one, with a summary, a description and its error responses.</summary>
public sealed class ExternalProviderOpenApiTests(SwaggerServerFixture server) : IClassFixture<SwaggerServerFixture>
{
    [Fact]
    public async Task Every_external_provider_operation_is_documented_with_its_responses()
    {
        var paths = JsonDocument.Parse(await server.Client.GetStringAsync("/swagger/v1/swagger.json")).RootElement.GetProperty("paths");
        var operations = paths.EnumerateObject()
            .Where(p => p.Name.StartsWith("/admin/external-providers", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Key: $"{o.Name} {p.Name}", Operation: o.Value)))
            .ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!, o => o);

        Assert.Equal(["CreateExternalProvider", "DeleteExternalProvider", "GetExternalProvider", "ListExternalProviders", "UpdateExternalProvider"],
            operations.Keys.Order(StringComparer.Ordinal));
        var expected = new Dictionary<string, string>
        {
            ["CreateExternalProvider"] = "201 400 401 409",
            ["ListExternalProviders"] = "200 400 401",
            ["GetExternalProvider"] = "200 401 404",
            ["UpdateExternalProvider"] = "200 400 401 404 412",
            ["DeleteExternalProvider"] = "204 401 404 409 412",
        };
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

        var example = paths.GetProperty("/admin/external-providers").GetProperty("post").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("example");
        Assert.Equal("google", example.GetProperty("preset").GetString());
    }
}
