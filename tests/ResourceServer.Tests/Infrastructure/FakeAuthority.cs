using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace AuthService.ResourceServer.Tests.Infrastructure;

/// <summary>
/// An authorization server reduced to what a resource server reads from it: RFC 8414 metadata, the JWKS, and an
/// RFC 7662 introspection endpoint that checks this API's Basic credentials. Held in memory (TestServer); it
/// counts the requests it receives so the tests can see what the library fetched.
/// </summary>
public sealed class FakeAuthority : IAsyncDisposable
{
    public const string Issuer = "https://as.example";
    public const string ApiClientId = "https://api.example.com/orders";
    public const string ApiClientSecret = "orders-api-secret-0123456789";

    private readonly WebApplication _app;
    private int _metadataRequests;
    private int _jwksRequests;
    private int _introspectionRequests;

    private FakeAuthority(WebApplication app)
    {
        _app = app;
    }

    public TestSigningKey Es256 { get; } = TestSigningKey.Es256();

    public TestSigningKey Rs256 { get; } = TestSigningKey.Rs256();

    public TestSigningKey EdDsa { get; } = TestSigningKey.EdDsa();

    /// <summary>The keys in the JWKS; a test adds one to simulate a rotation.</summary>
    public List<TestSigningKey> PublishedKeys { get; } = [];

    /// <summary>The <c>issuer</c> the metadata states (a test changes it to simulate a substituted document).</summary>
    public string MetadataIssuer { get; set; } = Issuer;

    /// <summary>Tokens (by value) the introspection endpoint calls inactive, as after a revocation.</summary>
    public HashSet<string> RevokedTokens { get; } = [];

    /// <summary>When set, the JWKS carries this many bytes of padding (an authority that sends too much).</summary>
    public int JwksPadding { get; set; }

    /// <summary>When set, every endpoint answers 500.</summary>
    public bool Down { get; set; }

    /// <summary>The Authorization header of the last introspection request.</summary>
    public string? LastIntrospectionAuthorization { get; private set; }

    public int MetadataRequests => Volatile.Read(ref _metadataRequests);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public int IntrospectionRequests => Volatile.Read(ref _introspectionRequests);

    public static async Task<FakeAuthority> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        var authority = new FakeAuthority(app);
        authority.PublishedKeys.AddRange([authority.Es256, authority.Rs256, authority.EdDsa]);
        authority.Map(app);
        await app.StartAsync();
        return authority;
    }

    public HttpMessageHandler CreateHandler() => _app.GetTestServer().CreateHandler();

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/oauth-authorization-server", () =>
        {
            Interlocked.Increment(ref _metadataRequests);
            return Down ? Results.StatusCode(500) : Results.Text(new JsonObject
            {
                ["issuer"] = MetadataIssuer,
                ["jwks_uri"] = Issuer + "/jwks",
                ["introspection_endpoint"] = Issuer + "/introspect",
            }.ToJsonString(), "application/json");
        });
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _jwksRequests);
            var keys = new JsonArray([.. PublishedKeys.Select(k => (JsonNode)k.PublishedJwk)]);
            var jwks = new JsonObject { ["keys"] = keys };
            if (JwksPadding > 0)
            {
                jwks["padding"] = new string('x', JwksPadding);
            }

            return Down ? Results.StatusCode(500) : Results.Text(jwks.ToJsonString(), "application/jwk-set+json");
        });
        app.MapPost("/introspect", async (HttpRequest request) =>
        {
            Interlocked.Increment(ref _introspectionRequests);
            LastIntrospectionAuthorization = request.Headers.Authorization.ToString();
            if (Down)
            {
                return Results.StatusCode(500);
            }

            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(ApiClientId) + ":" + Uri.EscapeDataString(ApiClientSecret)));
            if (LastIntrospectionAuthorization != expected)
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }

            var form = await request.ReadFormAsync();
            var active = !RevokedTokens.Contains(form["token"].ToString());
            return Results.Text(active ? """{"active":true}""" : """{"active":false}""", "application/json");
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
