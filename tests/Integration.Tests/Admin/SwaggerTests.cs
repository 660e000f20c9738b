using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Admin;

/// <summary>A server with <c>Auth:SwaggerEnabled=true</c>, as scripts/run.sh starts it.</summary>
public sealed class SwaggerServerFixture : AuthServerFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:SwaggerEnabled"] = "true",
    };
}

public sealed class SwaggerTests(SwaggerServerFixture server) : IClassFixture<SwaggerServerFixture>
{
    [Fact]
    public async Task The_openapi_document_describes_the_protocol_endpoints()
    {
        var response = await server.Client.GetAsync("/swagger/v1/swagger.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadAsStringAsync();
        foreach (var path in new[] { "/connect/token", "/connect/introspect", "/connect/revoke", "/.well-known/jwks.json", "/.well-known/openid-configuration" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Swagger_ui_is_served_with_a_script_policy_that_allows_only_its_own_files()
    {
        var response = await server.Client.GetAsync("/swagger/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_api_is_secured_by_an_oauth2_client_credentials_scheme_at_this_servers_token_endpoint()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("admin_client_credentials");
        Assert.Equal("oauth2", scheme.GetProperty("type").GetString());
        var flow = scheme.GetProperty("flows").GetProperty("clientCredentials");
        Assert.Equal(TestClients.Issuer + "/connect/token", flow.GetProperty("tokenUrl").GetString());
        Assert.True(flow.GetProperty("scopes").TryGetProperty("admin", out _));
    }

    [Fact]
    public async Task Every_admin_operation_has_a_summary_its_security_and_its_error_responses()
    {
        var document = await DocumentAsync();
        var operations = document.GetProperty("paths").EnumerateObject()
            .Where(path => path.Name.StartsWith("/admin", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Name: $"{op.Name.ToUpperInvariant()} {path.Name}", Operation: op.Value)))
            .ToList();
        Assert.NotEmpty(operations);

        foreach (var (name, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null), $"{name} has no summary");
            var security = operation.GetProperty("security").EnumerateArray().Single();
            Assert.Equal("admin", security.GetProperty("admin_client_credentials").EnumerateArray().Single().GetString());
            var responses = operation.GetProperty("responses");
            foreach (var status in new[] { "401", "403" })
            {
                Assert.True(responses.TryGetProperty(status, out var response), $"{name} does not document {status}");
                Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{name}: {status} is not problem details");
            }

            Assert.True(responses.EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{name} documents no success response");
        }
    }

    [Fact]
    public async Task Admin_operations_show_examples()
    {
        var document = await DocumentAsync();

        var list = document.GetProperty("paths").GetProperty("/admin/audit-events").GetProperty("get");
        var example = list.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal(JsonValueKind.Array, example.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task Swagger_ui_asks_for_the_admin_scope()
    {
        var response = await server.Client.GetAsync("/swagger/index.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"admin\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await server.Client.GetAsync("/swagger/v1/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
