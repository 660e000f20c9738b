using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace AuthService.Integration.Tests.ClientAuthentication;

/// <summary>
/// The admin fixture plus clients that authenticate with JWT assertions (RFC 7523, OIDC Core §9), and a loopback
/// Kestrel serving JWK Sets for the <c>jwks_uri</c> clients (and a redirect, an oversized and a slow answer).
/// </summary>
public sealed class ClientAssertionFixture : AdminFixture, IAsyncLifetime
{
    public const string EcClient = "PKJ-EC";
    public const string FapiClient = "PKJ-FAPI2";
    public const string EdClient = "PKJ-ED";
    public const string RsaClient = "PKJ-RSA";
    public const string UriClient = "PKJ-URI";
    public const string PrivateAddressClient = "PKJ-PRIVATE";
    public const string RedirectClient = "PKJ-REDIRECT";
    public const string OversizeClient = "PKJ-BIG";
    public const string SlowClient = "PKJ-SLOW";
    public const string SecretJwtClient = "CSJ";
    public const string SecretJwtSecret = "csj-secret-0123456789abcdef0123456789abcdef";
    public const string ShortSecretJwtClient = "CSJ-SHORT";
    public const string ShortSecret = "short-secret-0123";

    private WebApplication? _jwksServer;

    public ECDsa EcKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public RSA RsaKey { get; } = RSA.Create(2048);

    public Ed25519PrivateKeyParameters EdKey { get; } = new(new SecureRandom());

    public ECDsa UriKey1 { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa UriKey2 { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>What the loopback server answers at /jwks; a test rotates it.</summary>
    public volatile string ServedJwks = "";

    public string JwksBaseUrl { get; private set; } = "";

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:ClientJwksUriAllowLoopback"] = "true",
        ["Auth:ClientJwksUriTimeoutSeconds"] = "1",
        ["Auth:ClientJwksUriRefetchSeconds"] = "1",
    };

    protected override string SeedJson
    {
        get
        {
            var seed = AdminClients.SeedDocument();
            var clients = seed["clients"]!.AsArray();
            clients.Add(KeyClient(EcClient, jwks: Set(Jwk(EcKey, "ec-1"))));
            clients.Add(KeyClient(RsaClient, jwks: Set(Jwk(RsaKey, "rsa-1"))));
            clients.Add(KeyClient(EdClient, jwks: Set(new JsonObject
            {
                ["kty"] = "OKP",
                ["crv"] = "Ed25519",
                ["kid"] = "ed-1",
                ["x"] = Base64UrlEncoder.Encode(EdKey.GeneratePublicKey().GetEncoded()),
            })));
            var fapi = KeyClient(FapiClient, jwks: Set(Jwk(EcKey, "ec-1"), Jwk(RsaKey, "rsa-1")));
            fapi["profile"] = "fapi2";
            fapi["id_token_signed_response_alg"] = "ES256";
            clients.Add(fapi);
            clients.Add(KeyClient(UriClient, jwksUri: JwksBaseUrl + "/jwks"));
            clients.Add(KeyClient(PrivateAddressClient, jwksUri: "https://10.0.0.1/jwks"));
            clients.Add(KeyClient(RedirectClient, jwksUri: JwksBaseUrl + "/redirect"));
            clients.Add(KeyClient(OversizeClient, jwksUri: JwksBaseUrl + "/big"));
            clients.Add(KeyClient(SlowClient, jwksUri: JwksBaseUrl + "/slow"));
            clients.Add(TestClients.Client(SecretJwtClient, SecretJwtSecret, "client_secret_jwt", ["client_credentials"], "api.read"));
            clients.Add(TestClients.Client(ShortSecretJwtClient, ShortSecret, "client_secret_jwt", ["client_credentials"], "api.read"));
            return seed.ToJsonString();
        }
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        ServedJwks = Set(Jwk(UriKey1, "uri-1")).ToJsonString();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _jwksServer = builder.Build();
        _jwksServer.MapGet("/jwks", () => Results.Text(ServedJwks, "application/jwk-set+json"));
        _jwksServer.MapGet("/redirect", () => Results.Redirect("/jwks"));
        _jwksServer.MapGet("/big", () => Results.Text(new string(' ', 100 * 1024) + ServedJwks, "application/json"));
        _jwksServer.MapGet("/slow", async (HttpContext http) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), http.RequestAborted);
            return Results.Text(ServedJwks, "application/json");
        });
        await _jwksServer.StartAsync();
        JwksBaseUrl = _jwksServer.Urls.Single();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_jwksServer is not null)
        {
            await _jwksServer.DisposeAsync();
        }
    }

    public static JsonObject KeyClient(string clientId, JsonObject? jwks = null, string? jwksUri = null)
    {
        var client = TestClients.Client(clientId, null, "private_key_jwt", ["client_credentials"], "api.read");
        if (jwks is not null)
        {
            client["jwks"] = jwks;
        }

        if (jwksUri is not null)
        {
            client["jwks_uri"] = jwksUri;
        }

        return client;
    }

    public static JsonObject Set(params JsonObject[] keys) => new() { ["keys"] = new JsonArray([.. keys]) };

    public static JsonObject Jwk(ECDsa key, string kid)
    {
        var jwk = Jose.PublicJwk(key);
        jwk["kid"] = kid;
        return jwk;
    }

    public static JsonObject Jwk(RSA key, string kid)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }
}

/// <summary>Client assertions (RFC 7523 §2.2, §3) as a client builds them, and the requests that carry them.</summary>
public static class Assertions
{
    public const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>The claims of a valid assertion of <paramref name="clientId"/> for this server, expiring in a minute.</summary>
    public static JsonObject Claims(string clientId, string? audience = null, string? jti = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = audience ?? TestClients.Issuer,
            ["jti"] = jti ?? Guid.NewGuid().ToString("N"),
            ["iat"] = now,
            ["exp"] = now + 60,
        };
    }

    public static string Sign(JsonObject claims, SecurityKey key, string algorithm, IDictionary<string, object>? header = null) =>
        Handler.CreateToken(claims.ToJsonString(), new SigningCredentials(key, algorithm), header ?? new Dictionary<string, object>());

    public static string Es256(JsonObject claims, ECDsa key, string kid) => Sign(claims, new ECDsaSecurityKey(key) { KeyId = kid }, SecurityAlgorithms.EcdsaSha256);

    /// <summary>EdDSA (RFC 8037 §3.1) with an Ed25519 key, signed with BouncyCastle (IdentityModel has no EdDSA).</summary>
    public static string EdDsa(JsonObject claims, Ed25519PrivateKeyParameters key, string kid)
    {
        var input = Jose.Encode(new JsonObject { ["alg"] = "EdDSA", ["typ"] = "JWT", ["kid"] = kid }.ToJsonString()) + "." + Jose.Encode(claims.ToJsonString());
        var bytes = System.Text.Encoding.ASCII.GetBytes(input);
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        signer.BlockUpdate(bytes, 0, bytes.Length);
        return input + "." + Base64UrlEncoder.Encode(signer.GenerateSignature());
    }

    /// <summary>HS256 keyed with the secret's UTF-8 bytes (OIDC Core §9), whatever its length (IdentityModel would refuse a short one).</summary>
    public static string Hs256(JsonObject claims, string secret) =>
        Jose.SignHs256(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" }, Jose.Encode(claims.ToJsonString()), System.Text.Encoding.UTF8.GetBytes(secret));

    /// <summary>A client_credentials request authenticated with <paramref name="assertion"/> only.</summary>
    public static Task<HttpResponseMessage> TokenAsync(this HttpClient http, string assertion, params (string Name, string Value)[] extra) =>
        http.PostTokenAsync(Protocol.Form([("grant_type", "client_credentials"), ("client_assertion_type", JwtBearer), ("client_assertion", assertion), .. extra]));

    public static (string Name, string Value)[] Parameters(string assertion) =>
        [("client_assertion_type", JwtBearer), ("client_assertion", assertion)];

    public static async Task InvalidClientAsync(HttpResponseMessage response) =>
        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");
}
