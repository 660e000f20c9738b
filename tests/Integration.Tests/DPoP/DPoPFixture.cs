using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.DPoP;

/// <summary>
/// The admin and sign-in fixtures plus <see cref="CD"/>, a client registered with <c>dpop_bound_access_tokens</c>
/// (RFC 9449 §5.2), and the requests of the DPoP tests.
/// </summary>
public class DPoPFixture : AdminFixture
{
    public const string CD = "CD";
    public const string CDSecret = "cd-secret-0123456789abcdef";

    protected override string SeedJson
    {
        get
        {
            var seed = AdminClients.SeedDocument();
            var client = TestClients.Client(CD, CDSecret, "client_secret_basic", ["client_credentials"], "api.read");
            client["dpop_bound_access_tokens"] = true;
            seed["clients"]!.AsArray().Add(client);
            return seed.ToJsonString();
        }
    }

    /// <summary>client_credentials for C1 over Basic with the given DPoP header values (none, one, or several).</summary>
    public async Task<HttpResponseMessage> ClientCredentialsAsync(string clientId = TestClients.C1, string secret = TestClients.C1Secret, string headerName = "DPoP",
        params string[] proofs)
    {
        using var request = Protocol.TokenRequest(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(clientId, secret));
        foreach (var proof in proofs)
        {
            request.Headers.TryAddWithoutValidation(headerName, proof);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>GET UserInfo with <c>Authorization: {scheme} {token}</c> and the given DPoP header values.</summary>
    public async Task<HttpResponseMessage> UserInfoAsync(string scheme, string token, params string[] proofs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        foreach (var proof in proofs)
        {
            request.Headers.TryAddWithoutValidation("DPoP", proof);
        }

        return await Client.SendAsync(request);
    }

    /// <summary>A code for a public client (PN) by Alice, optionally bound with <c>dpop_jkt</c> (RFC 9449 §10).</summary>
    public async Task<(string Code, PkcePair Pkce)> PublicCodeAsync(string? dpopJkt = null, string clientId = SignInClients.PN, string redirectUri = SignInClients.PNRedirect)
    {
        using var browser = NewBrowser();
        var pkce = PkcePair.New();
        var extra = dpopJkt is null ? null : new Dictionary<string, string> { ["dpop_jkt"] = dpopJkt };
        var response = await browser.AuthorizeAsync(Browser.AuthorizeUrl(clientId, redirectUri, "openid profile offline_access", pkce, extra: extra));
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"Expected 303 to the client, got {(int)response.StatusCode}");
        return (Browser.ResponseParameters(response)["code"], pkce);
    }

    /// <summary>Tokens of the public client PN obtained with a proof by <paramref name="key"/>: token_type DPoP.</summary>
    public async Task<JsonElement> PublicTokensAsync(DPoPKey key)
    {
        var (code, pkce) = await PublicCodeAsync();
        return await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(Client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect, key.Proof()), codeFlow: true, tokenType: "DPoP");
    }

    /// <summary>RFC 9449 §7.1: 401 with a DPoP challenge naming <paramref name="error"/> and the accepted algorithms.</summary>
    public static async Task AssertDPoPChallengeAsync(HttpResponseMessage response, string error)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"Expected 401 {error}, got {(int)response.StatusCode}: {text}");
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("DPoP ", challenge, StringComparison.Ordinal);
        Assert.Contains($"error=\"{error}\"", challenge, StringComparison.Ordinal);
        Assert.Contains("algs=\"", challenge, StringComparison.Ordinal);
        Assert.Contains("ES256", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain("HS256", challenge, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    public static string CnfJkt(string accessToken) => Jose.Payload(accessToken)["cnf"]!["jkt"]!.GetValue<string>();
}
