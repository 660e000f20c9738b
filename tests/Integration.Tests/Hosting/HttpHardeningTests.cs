using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Hosting;

/// <summary>
/// Headers and methods every response must respect (ASVS 3.4.4, ASVS 4.1.4, ASVS 13.4.2; RFC 9700 §4.16),
/// health endpoints, and the OpenAPI document.
/// </summary>
public sealed class HttpHardeningTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly HttpClient _client = server.Client;

    public static TheoryData<string> Responses => ["token", "token-error", "discovery", "jwks", "not-found", "healthz"];

    // ASVS 3.4.4, ASVS 13.4.2: the same protective headers on successes, errors and metadata.
    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Every_response_carries_the_security_headers(string kind)
    {
        var response = kind switch
        {
            "token" => await _client.PostC1Async(),
            "token-error" => await _client.PostTokenAsync(Protocol.Form(("grant_type", "password")), Protocol.Basic(TestClients.C1, TestClients.C1Secret)),
            "discovery" => await _client.GetAsync("/.well-known/openid-configuration"),
            "jwks" => await _client.GetAsync("/.well-known/jwks.json"),
            "not-found" => await _client.GetAsync("/no/such/path"),
            _ => await _client.GetAsync("/healthz"),
        };

        OAuthAssert.SecurityHeaders(response);
    }

    // ASVS 4.1.4, ASVS 13.4.2
    [Theory]
    [InlineData("TRACE", "/")]
    [InlineData("TRACE", "/connect/token")]
    [InlineData("TRACK", "/")]
    public async Task Trace_is_405(string method, string path)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    // Liveness checks nothing but the process; readiness checks the database and the keys.
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_endpoints_report_healthy_without_details(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    // ASVS 13.4.2 (13.4.5): API documentation is not published unless the operator turns it on.
    [Theory]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/swagger/index.html")]
    public async Task The_api_documentation_is_not_published_by_default(string path)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    // An unhandled path answers 404 without framework detail.
    [Fact]
    public async Task An_unknown_path_is_a_bare_404()
    {
        var response = await _client.GetAsync("/connect/unknown");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Exception", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
