using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.ResourceServer;

/// <summary>
/// The resource-server library end to end: the real server process issues tokens by client credentials, and the
/// sample API (samples/OrdersApi, built, run as its own process exactly as the README runs it, configured by its
/// command line) validates them against the server's metadata and JWKS and introspects them on its revocation-sensitive
/// route. The server issues bearer tokens only so far; DPoP and certificate binding are covered by tests/ResourceServer.Tests.
/// </summary>
public sealed class OrdersApiEndToEndTests
{
    private const string Audience = "https://api.example.com/orders";
    private const string ApiSecret = "orders-api-secret-e2e-0123456789";
    private const string Writer = "orders-writer";
    private const string WriterSecret = "orders-writer-secret-0123456789";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_sample_API_accepts_the_servers_tokens_enforces_scopes_and_refuses_a_revoked_token_where_it_introspects()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var directory = new TempDirectory();
        var seed = new JsonObject
        {
            ["clients"] = new JsonArray(
                TestClients.Client(Writer, WriterSecret, "client_secret_basic", ["client_credentials"], "orders.read orders.write", audience: Audience),
                // docs/adr/0009: a resource server introspects the tokens whose aud is its own client_id.
                TestClients.Client(Audience, ApiSecret, "client_secret_basic", ["client_credentials"], "")),
        };
        var (server, issuer) = await LoopbackServer.StartAsync(database.ConnectionString, directory.WriteFile("seed.json", seed.ToJsonString()), directory.Path);
        await using var _ = server;
        using var authority = new HttpClient { BaseAddress = new Uri(issuer) };

        var apiAddress = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}");
        await using var api = ServerProcess.Start(
            ServerProcess.BuiltAssembly(Path.Combine("samples", "OrdersApi"), "OrdersApi.dll"),
            ["--urls", apiAddress.ToString().TrimEnd('/'), "--Authority", issuer, "--Audience", Audience,
             "--Introspection:ClientId", Audience, "--Introspection:ClientSecret", ApiSecret],
            new Dictionary<string, string>());
        await api.WaitUntilReadyAsync(apiAddress, StartTimeout, "/orders", HttpStatusCode.Unauthorized);
        using var client = new HttpClient { BaseAddress = apiAddress };

        // No token: 401 with both challenges and no error (RFC 6750 §3), naming the API's metadata (RFC 9728 §5.1),
        // whose URL is formed from the resource identifier (§3.1), not from where this test reaches the API.
        var anonymous = await client.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        const string metadataUrl = "https://api.example.com/.well-known/oauth-protected-resource/orders";
        Assert.Equal(
            [$"Bearer resource_metadata=\"{metadataUrl}\"", $"DPoP algs=\"ES256 ES384 ES512 RS256 PS256 EdDSA\", resource_metadata=\"{metadataUrl}\""],
            anonymous.Headers.WwwAuthenticate.Select(c => c.ToString()));

        // A client discovers the authorization server as RFC 9728 §3 and the MCP authorization spec do: the API's
        // metadata at the path-inserted well-known URL, whose resource must equal the identifier (§3.3), then the
        // authorization server's own metadata (RFC 8414 §3) from authorization_servers[0].
        var metadata = await client.GetAsync(new Uri(metadataUrl).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        Assert.Equal("application/json", metadata.Content.Headers.ContentType?.MediaType);
        var resource = JsonNode.Parse(await metadata.Content.ReadAsStringAsync())!;
        Assert.Equal(Audience, (string?)resource["resource"]);
        Assert.Equal(["orders.read", "orders.write"], resource["scopes_supported"]!.AsArray().Select(s => (string?)s));
        var authorizationServer = (string)resource["authorization_servers"]![0]!;
        Assert.Equal(issuer, authorizationServer);
        var discovery = await authority.GetAsync(authorizationServer.TrimEnd('/') + "/.well-known/oauth-authorization-server");
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        var serverMetadata = JsonNode.Parse(await discovery.Content.ReadAsStringAsync())!;
        Assert.Equal(authorizationServer, (string?)serverMetadata["issuer"]);
        Assert.NotNull((string?)serverMetadata["token_endpoint"]);

        // A token from the server: 200 on the read route, 201 on the write route.
        var token = await TokenAsync(authority, null);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/orders", token)).StatusCode);
        var created = await SendAsync(client, HttpMethod.Post, "/orders", token, """{"item":"tea","quantity":3}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains($"\"placedBy\":\"{Writer}\"", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A token without orders.write: 403 insufficient_scope on the write route.
        var readOnly = await TokenAsync(authority, "orders.read");
        var forbidden = await SendAsync(client, HttpMethod.Post, "/orders", readOnly, """{"item":"tea","quantity":1}""");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", forbidden.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("scope=\"orders.write\"", forbidden.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        // The introspecting route: an active token passes (the server answers the API's introspection) ...
        var other = await TokenAsync(authority, null);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Delete, "/orders/2", other)).StatusCode);

        // ... and once the token is revoked at the server, it is refused there at once, while the routes that verify
        // offline keep accepting it until it expires (docs/adr/0020).
        await BackChannel.RevokedAsync(await authority.RevokeAsync(token, Protocol.Basic(Writer, WriterSecret)));
        var revoked = await SendAsync(client, HttpMethod.Delete, "/orders/1", token);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Contains("Bearer error=\"invalid_token\"", revoked.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/orders", token)).StatusCode);

        // Neither process logged a token or the API's secret.
        foreach (var secret in new[] { token, other, readOnly, ApiSecret, WriterSecret })
        {
            Assert.DoesNotContain(secret, api.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, server.Output, StringComparison.Ordinal);
        }
    }

    private static async Task<string> TokenAsync(HttpClient authority, string? scope)
    {
        var form = scope is null ? Protocol.Form(("grant_type", "client_credentials")) : Protocol.Form(("grant_type", "client_credentials"), ("scope", scope));
        var body = await OAuthAssert.TokenSuccessAsync(await authority.PostTokenAsync(form, Protocol.Basic(Writer, WriterSecret)));
        return body.GetProperty("access_token").GetString()!;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token, string? json = null)
    {
        var request = new HttpRequestMessage(method, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }
}
