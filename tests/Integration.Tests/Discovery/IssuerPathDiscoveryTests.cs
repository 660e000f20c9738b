using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Discovery;

/// <summary>An issuer with a path component, as behind a proxy that publishes the server under a path prefix.</summary>
public sealed class IssuerPathFixture : AuthServerFixture
{
    public const string Issuer = "https://issuer.test/tenant-a";

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?> { ["Auth:Issuer"] = Issuer };
}

/// <summary>
/// RFC 8414 §3.1 path-inserted metadata URLs, OpenID Connect Discovery 1.0 §4.1 path-appended URL, and
/// RFC 8414 §3.3: no metadata for an issuer that is not this server's.
/// </summary>
public sealed class IssuerPathDiscoveryTests(IssuerPathFixture server) : IClassFixture<IssuerPathFixture>
{
    private readonly HttpClient _client = server.Client;

    [Theory]
    [InlineData("/.well-known/oauth-authorization-server/tenant-a")] // RFC 8414 §3.1
    [InlineData("/.well-known/openid-configuration/tenant-a")] // RFC 8414 §5 / what MCP clients try first
    [InlineData("/tenant-a/.well-known/openid-configuration")] // OIDC Discovery §4.1, through a proxy that keeps the prefix
    [InlineData("/tenant-a/.well-known/oauth-authorization-server")]
    [InlineData("/.well-known/openid-configuration")] // through a proxy that strips the prefix
    [InlineData("/.well-known/oauth-authorization-server")]
    public async Task Every_well_known_url_of_the_issuer_serves_the_same_metadata(string path)
    {
        var expected = await _client.GetStringAsync("/.well-known/oauth-authorization-server/tenant-a");

        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        var metadata = await response.JsonAsync();
        Assert.Equal(IssuerPathFixture.Issuer, metadata.GetProperty("issuer").GetString()); // RFC 8414 §3.3
        Assert.Equal(IssuerPathFixture.Issuer + "/connect/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(IssuerPathFixture.Issuer + "/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal("S256", Assert.Single(metadata.GetProperty("code_challenge_methods_supported").EnumerateArray()).GetString());
        Assert.Equal("public, max-age=3600", response.Header("Cache-Control"));
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("/.well-known/oauth-authorization-server/tenant-a")]
    [InlineData("/.well-known/openid-configuration/tenant-a")]
    public async Task Path_inserted_urls_answer_head_and_refuse_post(string path)
    {
        var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("public, max-age=3600", head.Header("Cache-Control"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _client.PostAsync(path, new StringContent(""))).StatusCode);
    }

    // RFC 8414 §3.3: the issuer in the document must be the one the URL was built from; another path is another issuer.
    [Theory]
    [InlineData("/.well-known/oauth-authorization-server/tenant-b")]
    [InlineData("/.well-known/openid-configuration/tenant-b")]
    [InlineData("/.well-known/openid-configuration/TENANT-A")]
    [InlineData("/.well-known/oauth-authorization-server/tenant")]
    [InlineData("/.well-known/oauth-authorization-server/tenant-a/more")]
    [InlineData("/.well-known/openid-configuration/tenant-a/tenant-a")]
    [InlineData("/tenant-a/.well-known/openid-configuration/tenant-b")]
    public async Task Metadata_for_another_issuer_path_is_404(string path)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path))).StatusCode);
    }
}
