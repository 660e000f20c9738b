using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.Federation.Upstreams;

/// <summary>One token request the stub received: its form fields and Authorization header.</summary>
public sealed record ReceivedTokenRequest(IReadOnlyDictionary<string, string> Form, string? Authorization);

/// <summary>
/// An OpenID Provider's back channel on a loopback port whose ID tokens the test writes: the discovery document (any
/// path ending in <c>/.well-known/openid-configuration</c>, with the <see cref="DocumentIssuer"/> the test sets, e.g.
/// Microsoft's <c>{tenantid}</c> template), the key set (an ES256 key, <see cref="KeyId"/>), a token endpoint answering
/// every code with <see cref="NextIdToken"/> and <see cref="AccessToken"/>, and UserInfo answering <see cref="UserInfo"/>.
/// It is for what a real provider will not do on request: an ID token for another audience, with a bad signature, another
/// tenant's issuer. oidc-provider (<see cref="OidcUpstream"/>) is the faithful upstream for everything else.
/// </summary>
public sealed class StubOpenIdProvider : IAsyncDisposable
{
    public const string FirstKeyId = "stub-es256";
    public const string AccessToken = "stub-access-token-0123456789";

    private readonly WebApplication _app;
    private int _keySetRequests;

    public StubOpenIdProvider()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/{**path}", (HttpContext context, string path) => path.EndsWith(".well-known/openid-configuration", StringComparison.Ordinal)
            ? Results.Json(Document())
            : path == "userinfo" && context.Request.Headers.Authorization == $"Bearer {AccessToken}"
                    ? Results.Json(UserInfo)
                    : Results.StatusCode(StatusCodes.Status401Unauthorized));
        _app.MapPost("/token", (Func<HttpContext, Task<IResult>>)(async context =>
        {
            var form = await context.Request.ReadFormAsync();
            TokenRequests.Enqueue(new ReceivedTokenRequest(form.ToDictionary(f => f.Key, f => f.Value.ToString()), context.Request.Headers.Authorization.ToString()));
            if (RedirectTokenRequestsTo is { } elsewhere)
            {
                return Results.Redirect(elsewhere, permanent: false, preserveMethod: true);
            }

            return Results.Json(new { access_token = AccessToken, token_type = "Bearer", expires_in = 300, id_token = NextIdToken });
        }));
        _app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _keySetRequests);
            return Results.Text(JsonSerializer.Serialize(new { keys = new[] { PublicJwk() } }), "application/json");
        });
        _app.StartAsync().GetAwaiter().GetResult();
        BaseAddress = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        DocumentIssuer = BaseAddress;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public string BaseAddress { get; }

    /// <summary>The <c>issuer</c> of the discovery document (the base address unless the test sets another).</summary>
    public string DocumentIssuer { get; set; }

    /// <summary><c>token_endpoint_auth_methods_supported</c>; null leaves it out (RFC 8414 default: client_secret_basic).</summary>
    public string[]? AuthMethods { get; set; }

    /// <summary>The ID token the next code is answered with.</summary>
    public string? NextIdToken { get; set; }

    public Dictionary<string, object> UserInfo { get; set; } = [];

    public ConcurrentQueue<ReceivedTokenRequest> TokenRequests { get; } = new();

    /// <summary>When set, the token endpoint answers 307 to this URL (a client must not follow it).</summary>
    public string? RedirectTokenRequestsTo { get; set; }

    /// <summary>How often the key set was fetched.</summary>
    public int KeySetRequests => Volatile.Read(ref _keySetRequests);

    /// <summary>The stub's signing key (its public half is the key set, the only key in it).</summary>
    public ECDsa Key { get; private set; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string KeyId { get; private set; } = FirstKeyId;

    /// <summary>Replaces the signing key and its kid, as a provider rotating its keys does.</summary>
    public void RotateKey()
    {
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        KeyId = $"{FirstKeyId}-{Guid.NewGuid():N}";
    }

    /// <summary>A JWS of <paramref name="claims"/> signed with <paramref name="key"/> (default: the published ES256 key).</summary>
    public string Sign(IDictionary<string, object> claims, SigningCredentials? key = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = key ?? new SigningCredentials(new ECDsaSecurityKey(Key) { KeyId = KeyId }, SecurityAlgorithms.EcdsaSha256),
        });

    /// <summary>The claims a valid ID token for <paramref name="clientId"/> and <paramref name="nonce"/> has; the test changes one.</summary>
    public Dictionary<string, object> ValidClaims(string clientId, string nonce, string? issuer = null) => new()
    {
        ["iss"] = issuer ?? DocumentIssuer,
        ["sub"] = "stub-subject-1",
        ["aud"] = clientId,
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds(),
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["nonce"] = nonce,
        ["email"] = "stub@upstream.example",
        ["email_verified"] = true,
        ["name"] = "Stub Person",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Key.Dispose();
    }

    private Dictionary<string, object> Document()
    {
        var document = new Dictionary<string, object>
        {
            ["issuer"] = DocumentIssuer,
            ["authorization_endpoint"] = $"{BaseAddress}/authorize?tenant=stub",
            ["token_endpoint"] = $"{BaseAddress}/token",
            ["userinfo_endpoint"] = $"{BaseAddress}/userinfo",
            ["jwks_uri"] = $"{BaseAddress}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
        };
        if (AuthMethods is not null)
        {
            document["token_endpoint_auth_methods_supported"] = AuthMethods;
        }

        return document;
    }

    private Dictionary<string, string> PublicJwk()
    {
        var parameters = Key.ExportParameters(false);
        return new Dictionary<string, string>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["kid"] = KeyId,
            ["use"] = "sig",
            ["alg"] = "ES256",
            ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
            ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
        };
    }
}
