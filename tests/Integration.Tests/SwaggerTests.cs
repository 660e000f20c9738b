using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests;

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
}
