using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/resource-server-node.md: samples/NodeResourceServer (plain Node.js and jose) as its own process, verifying the
/// access tokens of AuthService, itself a process on PostgreSQL with a seed that registers the API as a resource and
/// the clients whose tokens the tests present.
/// </summary>
public sealed class NodeResourceServerSampleFixture : GuideServer
{
    /// <summary>client_credentials, default audience the sample API, scope orders.read.</summary>
    public const string ReaderId = "orders-reader";
    public const string ReaderSecret = "orders-reader-secret-0123456789";

    /// <summary>The same with a 30 s access token lifetime (the shortest a client may have): its first token expires during the tests.</summary>
    public const string ShortLivedId = "orders-reader-short";
    public const string ShortLivedSecret = "orders-short-secret-0123456789";

    /// <summary>client_credentials with orders.read but no audience: its tokens are for the issuer, not for the API.</summary>
    public const string ElsewhereId = "reports-service";
    public const string ElsewhereSecret = "reports-service-secret-0123456789";

    /// <summary>client_credentials, default audience the sample API, without orders.read.</summary>
    public const string NoScopeId = "orders-auditor";
    public const string NoScopeSecret = "orders-auditor-secret-0123456789";

    private readonly int _port = ServerProcess.FreePort();

    public ServerProcess ResourceServer { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:PORT</c>: the sample API.</summary>
    public string ApiBase => $"http://127.0.0.1:{_port}";

    /// <summary>The API's identifier (RFC 8707), the <c>aud</c> of its tokens: <c>http://127.0.0.1:PORT/orders</c>.</summary>
    public string Audience => $"{ApiBase}/orders";

    /// <summary>A token of <see cref="ShortLivedId"/> taken as soon as AuthService was ready, and its <c>exp</c>.</summary>
    public (string Token, DateTimeOffset ExpiresAt) ShortLivedToken { get; private set; }

    protected override async Task StartSamplesAsync()
    {
        var shortLived = await TokenAsync(ShortLivedId, ShortLivedSecret, "orders.read");
        ShortLivedToken = (shortLived, DateTimeOffset.FromUnixTimeSeconds(Claims(shortLived).GetProperty("exp").GetInt64()));

        ResourceServer = Own(ServerProcess.StartProgram("node", SampleDirectory.Require("NodeResourceServer", "jose"),
            ["server.mjs", "--issuer", Issuer, "--audience", Audience, "--port", _port.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>()));
        await ResourceServer.WaitUntilReadyAsync(new Uri(ApiBase), TimeSpan.FromSeconds(30), probe: "/healthz");
    }

    /// <summary>A fresh access token of a client_credentials client.</summary>
    public async Task<string> TokenAsync(string clientId, string secret, string scope)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri($"{Issuer}/connect/token"), new FormUrlEncodedContent(
            [new("grant_type", "client_credentials"), new("scope", scope), new("client_id", clientId), new("client_secret", secret)]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The token endpoint answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The payload of a JWT (not verified: the sample does that).</summary>
    public static JsonElement Claims(string jwt) => BrowserFlowServer.JwtPayload(jwt);

    protected override JsonObject Seed() => new()
    {
        ["clients"] = new JsonArray(
            TestClients.Client(ReaderId, ReaderSecret, "client_secret_post", ["client_credentials"], "orders.read", audience: Audience),
            TestClients.Client(ShortLivedId, ShortLivedSecret, "client_secret_post", ["client_credentials"], "orders.read", accessTokenLifetime: 30, audience: Audience),
            TestClients.Client(ElsewhereId, ElsewhereSecret, "client_secret_post", ["client_credentials"], "orders.read"),
            TestClients.Client(NoScopeId, NoScopeSecret, "client_secret_post", ["client_credentials"], "audit.read", audience: Audience)),
    };
}

/// <summary>
/// The sample resource server accepts a token issued for it with the scope, and refuses, with RFC 6750 §3 challenges,
/// a request without a token (401, no error code), a token for another audience and an expired one (401
/// invalid_token, RFC 9068 §4), and a token without the scope (403 insufficient_scope).
/// </summary>
public sealed class NodeResourceServerSampleTests(NodeResourceServerSampleFixture sample) : IClassFixture<NodeResourceServerSampleFixture>
{
    [Fact]
    public async Task A_token_for_the_API_with_orders_read_is_accepted()
    {
        var token = await sample.TokenAsync(NodeResourceServerSampleFixture.ReaderId, NodeResourceServerSampleFixture.ReaderSecret, "orders.read");
        Assert.Equal(sample.Audience, NodeResourceServerSampleFixture.Claims(token).GetProperty("aud").GetString());

        var (status, challenge, body) = await GetOrdersAsync(token);

        Assert.True(status == HttpStatusCode.OK, $"GET /orders answered {(int)status} ({challenge}): {body}{Output()}");
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(NodeResourceServerSampleFixture.ReaderId, json.GetProperty("client_id").GetString());
        Assert.True(json.GetProperty("orders").GetArrayLength() > 0);
    }

    // RFC 6750 §3.1: "If the request lacks any authentication information ... the resource server SHOULD NOT include an error code".
    [Fact]
    public async Task A_request_without_a_token_gets_a_challenge_without_an_error_code()
    {
        var (status, challenge, _) = await GetOrdersAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer realm=\"orders\"", challenge);
    }

    // RFC 9068 §4 item 4 (aud), RFC 6750 §3.1 invalid_token.
    [Fact]
    public async Task A_token_for_another_audience_is_refused_as_invalid_token()
    {
        var token = await sample.TokenAsync(NodeResourceServerSampleFixture.ElsewhereId, NodeResourceServerSampleFixture.ElsewhereSecret, "orders.read");
        Assert.NotEqual(sample.Audience, NodeResourceServerSampleFixture.Claims(token).GetProperty("aud").ToString());

        var (status, challenge, body) = await GetOrdersAsync(token);

        Assert.True(status == HttpStatusCode.Unauthorized, $"GET /orders answered {(int)status}: {body}");
        Assert.StartsWith("Bearer realm=\"orders\", error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains("not issued for this API", challenge, StringComparison.Ordinal);
    }

    // RFC 6750 §3.1 insufficient_scope, with the scope the request needs.
    [Fact]
    public async Task A_token_without_the_scope_is_refused_as_insufficient_scope()
    {
        var token = await sample.TokenAsync(NodeResourceServerSampleFixture.NoScopeId, NodeResourceServerSampleFixture.NoScopeSecret, "audit.read");

        var (status, challenge, body) = await GetOrdersAsync(token);

        Assert.True(status == HttpStatusCode.Forbidden, $"GET /orders answered {(int)status}: {body}");
        Assert.StartsWith("Bearer realm=\"orders\", error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.EndsWith("scope=\"orders.read\"", challenge, StringComparison.Ordinal);
    }

    // RFC 9068 §4 item 5 (exp): the short-lived token, accepted while valid, is refused once expired.
    [Fact]
    public async Task An_expired_token_is_refused_as_invalid_token()
    {
        var (token, expiresAt) = sample.ShortLivedToken;
        var wait = expiresAt + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            var (before, _, beforeBody) = await GetOrdersAsync(token);
            Assert.True(before == HttpStatusCode.OK, $"The short-lived token was refused before it expired ({(int)before}): {beforeBody}{Output()}");
            await Task.Delay(wait);
        }

        var (status, challenge, body) = await GetOrdersAsync(token);

        Assert.True(status == HttpStatusCode.Unauthorized, $"GET /orders answered {(int)status}: {body}");
        Assert.StartsWith("Bearer realm=\"orders\", error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains("expired", challenge, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, string? Challenge, string Body)> GetOrdersAsync(string? token)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{sample.ApiBase}/orders"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        // The header as sent (NonValidated: not parsed and re-serialized).
        var challenge = response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var values) ? values.ToString() : null;
        return (response.StatusCode, challenge, await response.Content.ReadAsStringAsync());
    }

    private string Output() => $"\n--- resource server ---\n{SampleDirectory.Tail(sample.ResourceServer.Output)}\n--- AuthService ---\n{SampleDirectory.Tail(sample.Process.Output)}";
}
