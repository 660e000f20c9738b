using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.ClientAuthentication;
using AuthService.Integration.Tests.DPoP;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.PushedAuthorization;

namespace AuthService.Integration.Tests.Fapi;

/// <summary>
/// FA, a client held to the FAPI 2.0 Security Profile (<c>profile: "fapi2"</c>): private_key_jwt with an ES256 key
/// registered as <c>jwks</c>, the code, refresh and client-credentials grants; and the requests it makes. Assertions
/// and proofs are dated by the clock the server runs on, so they stay fresh when a test moves that clock.
/// </summary>
public static class FapiClients
{
    public const string FA = "FA";
    public const string FARedirect = "https://fa.example/cb";
    public const string Kid = "fa-key-1";
    public const string Scope = "openid profile offline_access api.read";

    public static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static string SeedJson()
    {
        var seed = SignInClients.SeedDocument();
        var client = TestClients.Client(FA, null, "private_key_jwt", ["authorization_code", "refresh_token", "client_credentials"], Scope, redirectUris: [FARedirect]);
        client["jwks"] = ClientAssertionFixture.Set(ClientAssertionFixture.Jwk(Key, Kid));
        client["profile"] = "fapi2";
        client["id_token_signed_response_alg"] = "ES256";
        client["require_consent"] = false;
        seed["clients"]!.AsArray().Add(client);
        return seed.ToJsonString();
    }

    /// <summary>A private_key_jwt assertion of FA for this server (RFC 7523 §3), issued at <paramref name="now"/>.</summary>
    public static string Assertion(DateTimeOffset now)
    {
        var claims = Assertions.Claims(FA);
        claims["iat"] = now.ToUnixTimeSeconds();
        claims["exp"] = now.ToUnixTimeSeconds() + 60;
        return Assertions.Es256(claims, Key, Kid);
    }

    /// <summary>FA's client authentication parameters (RFC 7521 §4.2).</summary>
    public static Dictionary<string, string> Authenticated(DateTimeOffset now, Dictionary<string, string> form)
    {
        form["client_assertion_type"] = Assertions.JwtBearer;
        form["client_assertion"] = Assertion(now);
        return form;
    }

    /// <summary>Pushes FA's code-flow request (RFC 9126 §2.1) and returns the response.</summary>
    public static Task<HttpResponseMessage> PushAsync(HttpClient http, DateTimeOffset now, PkcePair pkce, Action<Dictionary<string, string>>? change = null)
    {
        var form = PushedClients.Parameters(FA, FARedirect, Scope, pkce);
        change?.Invoke(form);
        return PushedClients.PushAsync(http, Authenticated(now, form), clientId: null, secret: null);
    }

    /// <summary>A POST to the token endpoint authenticated as FA, with a DPoP proof when one is given (RFC 9449 §4.1).</summary>
    public static Task<HttpResponseMessage> TokenAsync(HttpClient http, DateTimeOffset now, Dictionary<string, string> form, string? proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Protocol.TokenPath) { Content = new FormUrlEncodedContent(Authenticated(now, form)) };
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return http.SendAsync(request);
    }

    public static Task<HttpResponseMessage> RedeemAsync(HttpClient http, DateTimeOffset now, string code, PkcePair pkce, string? proof) =>
        TokenAsync(http, now, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = pkce.Verifier,
            ["redirect_uri"] = FARedirect,
        }, proof);

    public static Task<HttpResponseMessage> RefreshAsync(HttpClient http, DateTimeOffset now, string refreshToken, string? proof) =>
        TokenAsync(http, now, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, proof);

    /// <summary>A proof by <paramref name="key"/> for the token endpoint, dated <paramref name="now"/>.</summary>
    public static string TokenProof(DPoPKey key, DateTimeOffset now) => key.Proof(issuedAt: now);

    /// <summary>RFC 9449 §5: the token endpoint's 400 <c>invalid_dpop_proof</c>, nothing issued.</summary>
    public static async Task AssertProofRequiredAsync(HttpResponseMessage response)
    {
        var body = await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_dpop_proof");
        Assert.Contains("sender-constrained", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("access_token", out _));
    }

    /// <summary>A bound token (RFC 9449 §5, §6.1): token_type DPoP and <c>cnf.jkt</c> = the key's thumbprint.</summary>
    public static async Task<JsonElement> AssertBoundTokensAsync(HttpResponseMessage response, DPoPKey key, bool codeFlow = true)
    {
        var body = await OAuthAssert.TokenSuccessAsync(response, codeFlow, tokenType: "DPoP");
        Assert.Equal(key.Thumbprint(), DPoPFixture.CnfJkt(body.GetProperty("access_token").GetString()!));
        return body;
    }
}

/// <summary>A server with the sign-in fixtures and FA.</summary>
public class FapiFixture : SignInFixture
{
    protected override string SeedJson => FapiClients.SeedJson();
}
