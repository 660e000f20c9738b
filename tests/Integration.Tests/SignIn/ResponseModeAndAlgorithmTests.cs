using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>A sign-in server with one more client whose ID tokens are ES256 (OIDC Dynamic Registration <c>id_token_signed_response_alg</c>).</summary>
public sealed class Es256ClientFixture : SignInFixture
{
    public const string CE = "CE";
    public const string CESecret = "ce-secret-0123456789abcdef";
    public const string CERedirect = "https://ce.example/cb";

    protected override string SeedJson
    {
        get
        {
            var seed = SignInClients.SeedDocument();
            var client = TestClients.Client(CE, CESecret, "client_secret_basic", ["authorization_code"], "openid profile", redirectUris: [CERedirect]);
            client["id_token_signed_response_alg"] = "ES256";
            seed["clients"]!.AsArray().Add(client);
            return seed.ToJsonString();
        }
    }
}

/// <summary>The form_post response mode, and the per-client ID token algorithm.</summary>
public sealed class ResponseModeAndAlgorithmTests(Es256ClientFixture server) : IClassFixture<Es256ClientFixture>
{
    // OAuth 2.0 Form Post Response Mode §2: the response is an auto-submitting form to the redirect URI,
    // carrying code, state and iss as hidden fields; the page's CSP lets exactly that form and script run.
    [Fact]
    public async Task With_form_post_the_code_arrives_in_an_auto_submitting_form_to_the_redirect_uri()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var url = Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, "openid", pkce, state: "st-fp",
            extra: new Dictionary<string, string> { ["response_mode"] = "form_post" });

        using var response = await browser.AuthorizeAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" id=\"response\" action=\"https://cw.example/cb\">", html, StringComparison.Ordinal);
        var fields = Browser.HiddenFields(html);
        Assert.Equal(["code", "iss", "state"], fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("st-fp", fields["state"]);
        Assert.Equal(TestClients.Issuer, fields["iss"]);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("form-action 'self' https://cw.example;", csp, StringComparison.Ordinal);
        Assert.Matches("script-src 'nonce-[A-Za-z0-9+/=]+'", csp);

        using var redeemed = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, fields["code"], pkce.Verifier, SignInClients.CWRedirect);
        await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
    }

    // An error in form_post mode goes the same way, never as a query to the client.
    [Fact]
    public async Task With_form_post_an_error_is_posted_too()
    {
        using var browser = server.NewBrowser();
        var url = Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, "openid api.write", PkcePair.New(), state: "st-fpe",
            extra: new Dictionary<string, string> { ["response_mode"] = "form_post" });

        using var response = await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fields = Browser.HiddenFields(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_scope", fields["error"]);
        Assert.Equal("st-fpe", fields["state"]);
        Assert.Equal(TestClients.Issuer, fields["iss"]);
        Assert.False(fields.ContainsKey("code"));
    }

    // id_token_signed_response_alg=ES256: the ID token is signed with the active ES256 key, published in the JWKS;
    // other clients keep the RS256 default.
    [Fact]
    public async Task A_client_registered_for_ES256_gets_ES256_id_tokens()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(Es256ClientFixture.CE, Es256ClientFixture.CERedirect, "openid", pkce);

        using var response = await CodeFlowTokens.RedeemAsync(server.Client, Es256ClientFixture.CE, Es256ClientFixture.CESecret, code, pkce.Verifier, Es256ClientFixture.CERedirect);
        var tokens = await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);

        var header = Jose.Header(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        var jwks = JsonNode.Parse(await server.Client.GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray();
        var key = Assert.Single(jwks, k => k!["kid"]!.GetValue<string>() == header["kid"]!.GetValue<string>());
        Assert.Equal("EC", key!["kty"]!.GetValue<string>());

        using var other = server.NewBrowser();
        var otherPkce = PkcePair.New();
        var otherCode = await other.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid", otherPkce);
        using var otherResponse = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, otherCode, otherPkce.Verifier, SignInClients.CWRedirect);
        var otherTokens = await OAuthAssert.TokenSuccessAsync(otherResponse, codeFlow: true);
        Assert.Equal("RS256", Jose.Header(otherTokens.GetProperty("id_token").GetString()!)["alg"]!.GetValue<string>());
    }
}
