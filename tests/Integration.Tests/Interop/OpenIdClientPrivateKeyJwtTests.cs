using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Interop;

/// <summary>
/// A real server process whose seed registers one private_key_jwt client with a fresh ES256 key; a subclass may
/// seed more clients (with the same key) and users.
/// </summary>
public class PrivateKeyJwtServer : IAsyncLifetime
{
    public const string ClientId = "OIDC-CLIENT-PKJ";

    private readonly string _directory = Directory.CreateTempSubdirectory("authservice-pkj-").FullName;
    private TestDatabase? _database;

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ServerProcess Process { get; private set; } = null!;

    public string Issuer { get; private set; } = null!;

    /// <summary>The private JWK, as the client library imports it.</summary>
    public string PrivateJwk()
    {
        var jwk = PublicJwk();
        jwk["d"] = Base64UrlEncoder.Encode(Key.ExportParameters(includePrivateParameters: true).D);
        return jwk.ToJsonString();
    }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var client = TestClients.Client(ClientId, null, "private_key_jwt", ["client_credentials"], "api.read");
        client["jwks"] = PublicJwks();
        var seed = new JsonObject { ["clients"] = new JsonArray(client) };
        AddToSeed(seed);
        var seedFile = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seedFile, seed.ToJsonString());
        (Process, Issuer) = await LoopbackServer.StartAsync(_database.ConnectionString, seedFile, _directory, null);
    }

    /// <summary>The JWK Set with the public half of <see cref="Key"/>, as registered in a client's <c>jwks</c>.</summary>
    public JsonObject PublicJwks() => new() { ["keys"] = new JsonArray(PublicJwk()) };

    /// <summary>More clients or users for the seed (<c>clients</c> is already there).</summary>
    protected virtual void AddToSeed(JsonObject seed)
    {
    }

    private JsonObject PublicJwk()
    {
        var jwk = Jose.PublicJwk(Key);
        jwk["kid"] = "pkj-1";
        return jwk;
    }

    public Task DisposeAsync() => LoopbackServer.StopAsync(Process, _database, _directory);
}

/// <summary>
/// Interoperability of private_key_jwt (OIDC Core §9, RFC 7523): the npm package <c>openid-client</c>, unmodified,
/// discovers the real server process and gets a client_credentials token with an assertion it signs itself.
/// </summary>
public sealed class OpenIdClientPrivateKeyJwtTests(PrivateKeyJwtServer server, ITestOutputHelper output) : IClassFixture<PrivateKeyJwtServer>
{
    [Fact]
    public async Task Openid_client_authenticates_with_private_key_jwt_for_client_credentials()
    {
        var (summary, diagnostics) = await NodeScript.RunForSummaryAsync(server.Process, output,
            "private-key-jwt.mjs", server.Issuer, PrivateKeyJwtServer.ClientId, server.PrivateJwk(), "api.read");

        Assert.True(summary.GetProperty("advertised").GetBoolean(), diagnostics);
        Assert.True(summary.GetProperty("has_access_token").GetBoolean(), diagnostics);
        Assert.Equal("bearer", summary.GetProperty("token_type").GetString()!.ToLowerInvariant());
        Assert.Equal("api.read", summary.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Openid_client_gets_a_dpop_bound_token_with_private_key_jwt_and_its_own_dpop_proof()
    {
        var (summary, diagnostics) = await NodeScript.RunForSummaryAsync(server.Process, output,
            "private-key-jwt.mjs", server.Issuer, PrivateKeyJwtServer.ClientId, server.PrivateJwk(), "api.read", "dpop");

        Assert.Contains("ES256", summary.GetProperty("dpop_algs").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("dpop", summary.GetProperty("token_type").GetString()!.ToLowerInvariant());
        Assert.True(summary.GetProperty("cnf_jkt_matches").GetBoolean(), diagnostics);
    }
}
