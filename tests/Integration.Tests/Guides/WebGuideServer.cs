using System.Net;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// The server the guides' samples (docs/guides, samples/*) run against: the built server as its own process on
/// <c>http://127.0.0.1:PORT</c> (its issuer), on a fresh PostgreSQL database, seeded with the samples' clients, one protected
/// resource (the orders API) and the people of <see cref="GuideServer"/>. One server for the four guide test classes (<see cref="WebGuideCollection"/>).
/// </summary>
public sealed class WebGuideServer : GuideServer
{
    public const string OrdersApi = "https://api.example.com/orders";
    public const string OtherApi = "https://api.example.com/billing";

    /// <summary>client_secret_basic, orders.read and orders.write, tokens for the orders API of 30 s (the shortest the server allows).</summary>
    public const string Caller = "guide-caller";
    public const string CallerSecret = "guide-caller-secret-0123456789";

    /// <summary>orders.read only.</summary>
    public const string Reader = "guide-reader";
    public const string ReaderSecret = "guide-reader-secret-0123456789";

    /// <summary>Tokens for another API (wrong audience for the orders API).</summary>
    public const string OtherCaller = "guide-other";
    public const string OtherCallerSecret = "guide-other-secret-0123456789";

    /// <summary>private_key_jwt with the demo key of samples/demo-private-key-jwt.pem.</summary>
    public const string KeyCaller = "guide-private-key-jwt";
    public const string KeyId = "demo-pkj-1";

    /// <summary>The BFF (samples/Bff): code flow with PKCE and refresh tokens, on a loopback port chosen before the server starts.</summary>
    public const string Bff = "guide-bff";
    public const string BffSecret = "guide-bff-secret-0123456789";

    /// <summary>The demo key's public half, as registered in src/WebApi/demo-seed.json.</summary>
    private const string DemoKeyModulus =
        "lnjSsNjwRvnYzeIozRPWBZmUnWeH5h855_TaCtAUQaiwIUIpQ_V0sV5x04NNInhEXHzkm0PG8A2uxMP5S-Bc0t88CwbmKdYzR127ZFGmOZ6CT9lphdbV4dJRL337KYx-uCG0IsrC9rmFKiChHu4rLBpw6FtehA7xWAyAs8nbdj7LxE4ai1LuTF7c4E_s-kQX6OzhtAFLLDAchPFYs6yqbnAlfmLIkf7VGF7FmsGO1LF94MVW48yoHpRY78rmJfIu4fy_KSxQccxeRCBUOXktmWJwTxLqm0bALzoc_wVKyN284WuDddVpZXhkj7rWzxRPjiGCNsjbTzyv-_enYAM06Q";

    /// <summary>Samples are given a start bound as the server is (a cold .NET start on 2 busy cores).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>A back-channel client of the server (token requests from the test itself).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Where the BFF sample listens in <see cref="BffSampleTests"/>: <c>http://localhost:PORT</c> (another host than the issuer's, so the two sites' cookies stay apart).</summary>
    public string BffAddress { get; } = $"http://localhost:{ServerProcess.FreePort()}";

    public static string RepositoryFile(params string[] parts) => Path.Combine([Repository.Root, .. parts]);

    protected override JsonObject Seed() => new()
    {
        ["clients"] = new JsonArray(
            TestClients.Client(Caller, CallerSecret, "client_secret_basic", ["client_credentials"], "orders.read orders.write", accessTokenLifetime: 30, audience: OrdersApi),
            TestClients.Client(Reader, ReaderSecret, "client_secret_basic", ["client_credentials"], "orders.read", audience: OrdersApi),
            TestClients.Client(OtherCaller, OtherCallerSecret, "client_secret_basic", ["client_credentials"], "orders.read", audience: OtherApi),
            KeyClient(),
            BffClient()),
        ["resources"] = new JsonArray(new JsonObject
        {
            ["resource"] = OrdersApi, ["name"] = "Orders API", ["scopes"] = new JsonArray("orders.read", "orders.write"),
        }),
    };

    protected override Task StartSamplesAsync()
    {
        Http = new HttpClient { BaseAddress = new Uri(Issuer), Timeout = TimeSpan.FromSeconds(15) };
        return Task.CompletedTask;
    }

    /// <summary>A client-credentials token (client_secret_basic) as the test's own back channel.</summary>
    public async Task<string> TokenAsync(string clientId, string secret, string? scope = null)
    {
        var form = scope is null ? Protocol.Form(("grant_type", "client_credentials")) : Protocol.Form(("grant_type", "client_credentials"), ("scope", scope));
        var body = await OAuthAssert.TokenSuccessAsync(await Http.PostTokenAsync(form, Protocol.Basic(clientId, secret)));
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Starts a built sample (<c>samples/NAME/NAME.dll</c>) with <paramref name="args"/> and waits until <paramref name="probe"/> answers <paramref name="expected"/>.</summary>
    public static async Task<ServerProcess> StartSampleAsync(string name, Uri address, IEnumerable<string> args, string probe, HttpStatusCode expected)
    {
        var process = ServerProcess.Start(ServerProcess.BuiltAssembly(Path.Combine("samples", name), name + ".dll"),
            ["--urls", address.ToString().TrimEnd('/'), .. args], new Dictionary<string, string>());
        try
        {
            await process.WaitUntilReadyAsync(address, StartTimeout, probe, expected);
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private static JsonObject KeyClient()
    {
        var client = TestClients.Client(KeyCaller, null, "private_key_jwt", ["client_credentials"], "orders.read", accessTokenLifetime: 30, audience: OrdersApi);
        client["token_endpoint_auth_signing_alg"] = "RS256";
        client["jwks"] = new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject { ["kty"] = "RSA", ["kid"] = KeyId, ["use"] = "sig", ["alg"] = "RS256", ["n"] = DemoKeyModulus, ["e"] = "AQAB" }),
        };
        return client;
    }

    private JsonObject BffClient()
    {
        var client = TestClients.Client(Bff, BffSecret, "client_secret_basic", ["authorization_code", "refresh_token"], "openid profile email offline_access orders.read",
            redirectUris: [BffAddress + "/callback"], accessTokenLifetime: 30);
        client["post_logout_redirect_uris"] = new JsonArray(BffAddress + "/signed-out");
        return client;
    }

    public override Task DisposeAsync()
    {
        Http?.Dispose();
        return base.DisposeAsync();
    }
}

/// <summary>The guide test classes share one <see cref="WebGuideServer"/> and run one after the other (each also starts sample processes).</summary>
[CollectionDefinition(Name)]
public sealed class WebGuideCollection : ICollectionFixture<WebGuideServer>
{
    public const string Name = "Guides";
}
