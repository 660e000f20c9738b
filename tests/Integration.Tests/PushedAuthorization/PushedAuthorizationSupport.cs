using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.PushedAuthorization;

/// <summary>
/// The PAR and JAR fixtures: the sign-in clients, plus PJ (a confidential web client with an ES256 key registered as
/// <c>jwks</c>, for request objects) and PR (a confidential web client that must push its requests).
/// </summary>
public static class PushedClients
{
    public const string PJ = "PJ";
    public const string PJSecret = "pj-secret-0123456789abcdef";
    public const string PJRedirect = "https://pj.example/cb";

    public const string PR = "PR";
    public const string PRSecret = "pr-secret-0123456789abcdef";
    public const string PRRedirect = "https://pr.example/cb";

    public const string RequestUriPrefix = "urn:ietf:params:oauth:request_uri:";

    /// <summary>PJ's signing key (its public half is registered); one per test run.</summary>
    public static readonly ECDsa PJKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public const string PJKid = "pj-key-1";

    /// <summary>PJ's second signing key, Ed25519 (RFC 8037), registered beside the ES256 one for EdDSA request objects.</summary>
    public static readonly DPoP.DPoPKey PJEdKey = DPoP.DPoPKey.EdDsa();

    public const string PJEdKid = "pj-ed-1";

    public static JsonObject PJPublicJwk()
    {
        var jwk = Jose.PublicJwk(PJKey);
        jwk["kid"] = PJKid;
        jwk["use"] = "sig";
        return jwk;
    }

    public static string SeedJson()
    {
        var seed = SignInClients.SeedDocument();
        var clients = seed["clients"]!.AsArray();
        var pj = TestClients.Client(PJ, PJSecret, "client_secret_basic", ["authorization_code", "refresh_token"], "openid profile api.read", redirectUris: [PJRedirect]);
        var edJwk = PJEdKey.PublicJwk();
        edJwk["kid"] = PJEdKid;
        pj["jwks"] = new JsonObject { ["keys"] = new JsonArray(PJPublicJwk(), edJwk) };
        clients.Add(pj);
        var pr = TestClients.Client(PR, PRSecret, "client_secret_basic", ["authorization_code"], "openid api.read", redirectUris: [PRRedirect]);
        pr["require_pushed_authorization_requests"] = true;
        clients.Add(pr);
        return seed.ToJsonString();
    }

    /// <summary>An authorization request's parameters for the code flow, as a client would push them.</summary>
    public static Dictionary<string, string> Parameters(string clientId, string redirectUri, string scope, PkcePair pkce, string state = "st-1") => new()
    {
        ["response_type"] = "code",
        ["client_id"] = clientId,
        ["redirect_uri"] = redirectUri,
        ["scope"] = scope,
        ["state"] = state,
        ["nonce"] = "n-1",
        ["code_challenge"] = pkce.Challenge,
        ["code_challenge_method"] = "S256",
    };

    public const string ParUrl = TestClients.Issuer + "/connect/par";

    /// <summary>
    /// POST to the PAR endpoint, with Basic authentication when a secret is given (else client_id stays in the body),
    /// and a DPoP proof in the DPoP header when one is given (RFC 9449 §10.1).
    /// </summary>
    public static Task<HttpResponseMessage> PushAsync(HttpClient http, Dictionary<string, string> form, string? clientId, string? secret, string? dpopProof = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/par") { Content = new FormUrlEncodedContent(form) };
        if (dpopProof is not null)
        {
            request.Headers.Add("DPoP", dpopProof);
        }

        if (clientId is not null && secret is not null)
        {
            request.Headers.Authorization = Protocol.Basic(clientId, secret);
            form.Remove("client_id");
            request.Content = new FormUrlEncodedContent(form);
        }

        return http.SendAsync(request);
    }

    /// <summary>Pushes and returns the request_uri, asserting the RFC 9126 §2.2 response.</summary>
    public static async Task<string> PushedRequestUriAsync(HttpClient http, Dictionary<string, string> form, string clientId, string? secret, string? dpopProof = null)
    {
        using var response = await PushAsync(http, form, clientId, secret, dpopProof);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {body}");
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var json = JsonDocument.Parse(body).RootElement;
        var requestUri = json.GetProperty("request_uri").GetString()!;
        Assert.StartsWith(RequestUriPrefix, requestUri, StringComparison.Ordinal);
        Assert.Equal(60, json.GetProperty("expires_in").GetInt32());
        return requestUri;
    }

    /// <summary>The authorization endpoint URL a client sends the browser to after pushing (RFC 9126 §4).</summary>
    public static string AuthorizeUrl(string clientId, string requestUri, params (string Name, string Value)[] extra)
    {
        var parameters = new List<KeyValuePair<string, string?>> { new("client_id", clientId), new("request_uri", requestUri) };
        parameters.AddRange(extra.Select(e => new KeyValuePair<string, string?>(e.Name, e.Value)));
        return QueryHelpers.AddQueryString("/connect/authorize", parameters);
    }

    public static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(error, JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    public static Task<long> StoredRequestsAsync(TestDatabase database) =>
        database.ScalarAsync<long>("SELECT count(*) FROM pushed_authorization_requests");
}

/// <summary>A server with the PAR/JAR clients.</summary>
public class PushedAuthorizationFixture : SignInFixture
{
    protected override string SeedJson => PushedClients.SeedJson();
}
