using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthService.Integration.Tests.TokenExchange;

/// <summary>An external identity provider's JWK Set on a loopback port, with the private key to sign its tokens.</summary>
public sealed class ExternalIssuer : IAsyncDisposable
{
    public const string KeyId = "idp-key-1";

    private readonly WebApplication _app;

    public ExternalIssuer()
    {
        var jwk = Jose.PublicJwk(Key);
        jwk["kid"] = KeyId;
        jwk["use"] = "sig";
        jwk["alg"] = "ES256";
        var jwks = new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/jwks", () => Results.Text(jwks, "application/jwk-set+json"));
        _app.StartAsync().GetAwaiter().GetResult();
        JwksUri = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/') + "/jwks";
    }

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string JwksUri { get; }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Key.Dispose();
    }
}

/// <summary>A server trusting one external issuer (<c>Auth:TokenExchange:TrustedIssuers</c>) and two exchangers, one of them allowed its JWTs.</summary>
public sealed class ExternalIssuerFixture : AuthServerFixture, IAsyncDisposable
{
    public const string Issuer = "https://idp.example";
    public const string Audience = "https://authservice.example";

    /// <summary>Allowed the issuer's JWTs, and impersonation.</summary>
    public const string Exchanger = "EX";
    public const string ExchangerSecret = "ex-secret-0123456789abcdef";

    /// <summary>Registered for exchange, but its policy names no issuer.</summary>
    public const string Other = "EO";
    public const string OtherSecret = "eo-secret-0123456789abcdef";

    public ExternalIssuer Idp { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:OutboundFetch:AllowLoopback"] = "true",
        ["Auth:TokenExchange:TrustedIssuers:0:Issuer"] = Issuer,
        ["Auth:TokenExchange:TrustedIssuers:0:JwksUri"] = Idp.JwksUri,
        ["Auth:TokenExchange:TrustedIssuers:0:Audience"] = Audience,
    };

    protected override string SeedJson
    {
        get
        {
            var seed = TestClients.SeedDocument();
            var clients = seed["clients"]!.AsArray();
            string[] grants = ["urn:ietf:params:oauth:grant-type:token-exchange"];
            var exchanger = TokenExchangeFixture.WithPolicy(TestClients.Client(Exchanger, ExchangerSecret, "client_secret_basic", grants, "api.read"), [], [], impersonation: true);
            exchanger["token_exchange"]!["subject_issuers"] = new JsonArray(Issuer);
            clients.Add(exchanger);
            clients.Add(TokenExchangeFixture.WithPolicy(TestClients.Client(Other, OtherSecret, "client_secret_basic", grants, "api.read"), [], [], impersonation: true));
            return seed.ToJsonString();
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await Idp.DisposeAsync();
}

/// <summary>
/// Token exchange (RFC 8693 §3 <c>urn:ietf:params:oauth:token-type:jwt</c>) of an external issuer's JWT through the
/// real token endpoint, its JWK Set fetched over loopback through the hardened fetcher: the trusted issuer's token is
/// exchanged for a token whose <c>sub</c> names the issuer; an untrusted issuer, a bad signature, a wrong audience, an
/// expired or not yet valid token, <c>alg: none</c> and a MAC are refused, as is a client whose policy names no issuer.
/// </summary>
public sealed class ExternalIssuerTokenExchangeTests(ExternalIssuerFixture server) : IClassFixture<ExternalIssuerFixture>
{
    private const string Grant = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string JwtType = "urn:ietf:params:oauth:token-type:jwt";

    private readonly HttpClient _client = server.Client;

    private string Token(Action<JsonObject>? payloadChange = null, Action<JsonObject>? headerChange = null, ECDsa? key = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["iss"] = ExternalIssuerFixture.Issuer, ["sub"] = "user-42", ["aud"] = ExternalIssuerFixture.Audience,
            ["iat"] = now, ["exp"] = now + 300, ["jti"] = Guid.NewGuid().ToString(),
        };
        payloadChange?.Invoke(payload);
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = ExternalIssuer.KeyId };
        headerChange?.Invoke(header);
        return Jose.SignEs256(header, Jose.Encode(payload.ToJsonString()), key ?? server.Idp.Key);
    }

    private Task<HttpResponseMessage> ExchangeAsync(string token, string clientId = ExternalIssuerFixture.Exchanger, string secret = ExternalIssuerFixture.ExchangerSecret) =>
        _client.PostTokenAsync(Protocol.Form(("grant_type", Grant), ("subject_token", token), ("subject_token_type", JwtType)), Protocol.Basic(clientId, secret));

    [Fact]
    public async Task A_trusted_issuers_jwt_is_exchanged_for_a_token_naming_the_external_subject()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(Token()));

        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", body.GetProperty("issued_token_type").GetString());
        Assert.False(body.TryGetProperty("scope", out _));
        var token = body.GetProperty("access_token").GetString()!;
        var claims = Jose.Payload(token);
        Assert.Equal(ExternalIssuerFixture.Issuer + "|user-42", claims["sub"]!.GetValue<string>());
        Assert.Equal(ExternalIssuerFixture.Exchanger, claims["client_id"]!.GetValue<string>());
        Assert.Null(claims["act"]);
        Assert.True(claims["exp"]!.GetValue<long>() <= DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 300, "the exchanged token outlives its subject token");

        using var introspection = await _client.PostTokenAsync(Protocol.Form(("token", token)),
            Protocol.Basic(ExternalIssuerFixture.Exchanger, ExternalIssuerFixture.ExchangerSecret), BackChannel.IntrospectionPath);
        var active = await BackChannel.ActiveAsync(introspection);
        Assert.Equal(ExternalIssuerFixture.Issuer + "|user-42", active.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task An_external_subject_never_becomes_a_local_user()
    {
        var localLooking = Guid.NewGuid().ToString();
        var body = await OAuthAssert.TokenSuccessAsync(await ExchangeAsync(Token(p => p["sub"] = localLooking)));

        Assert.Equal(ExternalIssuerFixture.Issuer + "|" + localLooking, Jose.Payload(body.GetProperty("access_token").GetString()!)["sub"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("untrusted issuer")]
    [InlineData("bad signature")]
    [InlineData("wrong audience")]
    [InlineData("no audience")]
    [InlineData("expired")]
    [InlineData("not yet valid")]
    [InlineData("no exp")]
    [InlineData("no subject")]
    [InlineData("alg none")]
    [InlineData("HS256")]
    [InlineData("unknown kid")]
    public async Task An_unacceptable_jwt_is_invalid_request(string variant)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = variant switch
        {
            "untrusted issuer" => Token(p => p["iss"] = "https://evil.example"),
            "bad signature" => Token(key: otherKey),
            "wrong audience" => Token(p => p["aud"] = "https://someone-else.example"),
            "no audience" => Token(p => p.Remove("aud")),
            "expired" => Token(p => { p["iat"] = now - 600; p["exp"] = now - 60; }),
            "not yet valid" => Token(p => p["nbf"] = now + 120),
            "no exp" => Token(p => p.Remove("exp")),
            "no subject" => Token(p => p.Remove("sub")),
            "alg none" => Jose.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Jose.Split(Token()).Payload + ".",
            "HS256" => Jose.SignHs256(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = ExternalIssuer.KeyId }, Jose.Split(Token()).Payload,
                System.Text.Encoding.UTF8.GetBytes(Jose.PublicJwk(server.Idp.Key).ToJsonString())),
            _ => Token(headerChange: h => h["kid"] = "unknown", key: otherKey),
        };

        await OAuthAssert.TokenErrorAsync(await ExchangeAsync(token), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task A_client_whose_policy_names_no_issuer_is_refused()
    {
        var refused = await OAuthAssert.TokenErrorAsync(
            await ExchangeAsync(Token(), ExternalIssuerFixture.Other, ExternalIssuerFixture.OtherSecret), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("issuer", refused.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }
}
