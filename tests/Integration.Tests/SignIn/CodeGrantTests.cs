using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.5, OAuth 2.1 §4.1.3): what a valid
/// redemption returns, and every way a redemption must fail, on the exact wire values
/// (RFC 7636 §4.6, RFC 7636 §4.1, CVE-2026-16089, CVE-2026-4282).
/// </summary>
public sealed class CodeGrantTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private readonly HttpClient _client = server.Client;

    // RFC 6749 §5.1, RFC 9068, OAuth 2.1 §3.2.3: a confidential client over Basic.
    [Fact]
    public async Task A_confidential_client_redeems_its_code_for_an_access_token_an_id_token_and_a_refresh_token()
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.CW, "openid profile offline_access api.read");

        await AssertAccessTokenAsync(tokens, SignInClients.CW, ["api.read", "offline_access", "openid", "profile"]);
        Assert.False(string.IsNullOrEmpty(tokens.IdToken), $"openid was granted, so an ID token is returned: {tokens.Body}");
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken), $"offline_access was granted, so a refresh token is returned: {tokens.Body}");
        Assert.NotEqual(tokens.AccessToken, tokens.RefreshToken);
    }

    // RFC 7636 §4.5, OAuth 2.1 §4.1.3: a public client names itself in the body and proves possession with the verifier.
    [Fact]
    public async Task A_public_client_redeems_its_code_with_its_client_id_and_verifier_only()
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, SignInClients.PN, "openid offline_access api.read");

        await AssertAccessTokenAsync(tokens, SignInClients.PN, ["api.read", "offline_access", "openid"]);
        Assert.False(string.IsNullOrEmpty(tokens.IdToken), $"openid was granted: {tokens.Body}");
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken), $"offline_access was granted: {tokens.Body}");
    }

    // OIDC Core §11: a refresh token only when offline_access was asked for (and granted).
    [Theory]
    [InlineData(SignInClients.CW, "openid profile")]
    [InlineData(SignInClients.CW, "openid api.read")]
    [InlineData(SignInClients.PN, "openid api.read")]
    public async Task Without_offline_access_no_refresh_token_is_issued(string clientId, string scope)
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, _client, clientId, scope);

        Assert.False(tokens.Body.TryGetProperty("refresh_token", out _), $"No offline_access, yet a refresh token: {tokens.Body}");
        Assert.False(string.IsNullOrEmpty(tokens.IdToken));
        Assert.Equal(scope.Split(' ').Order(StringComparer.Ordinal), OAuthAssert.ScopeSet(tokens.Body));
    }

    // RFC 7636 §4.6: no code_verifier for a code issued with a challenge.
    [Fact]
    public async Task A_redemption_without_code_verifier_is_invalid_grant()
    {
        var (code, _) = await NewCodeAsync();

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, verifier: null, SignInClients.CWRedirect), "no code_verifier");
    }

    // (Gitea PR #37706): an empty verifier is not "no PKCE".
    [Fact]
    public async Task A_redemption_with_an_empty_code_verifier_is_invalid_grant()
    {
        var (code, _) = await NewCodeAsync();

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, verifier: "", SignInClients.CWRedirect), "code_verifier=");
    }

    // a well-formed verifier that is not the one of the challenge.
    [Fact]
    public async Task A_redemption_with_a_wrong_code_verifier_is_invalid_grant()
    {
        var (code, _) = await NewCodeAsync();

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, PkcePair.New().Verifier, SignInClients.CWRedirect), "another verifier");
    }

    // for a public client: PKCE is its only proof of possession.
    [Fact]
    public async Task A_public_client_with_a_wrong_code_verifier_is_invalid_grant()
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        var code = await CodeGrantSupport.CodeAsync(browser, SignInClients.PN, "openid api.read", pkce);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.PN, code, PkcePair.New().Verifier, SignInClients.PNRedirect), "PN with another verifier");
    }

    // RFC 7636 §4.1 (43..128 characters of [A-Za-z0-9-._~]). The authorization request carries the
    // S256 challenge of exactly this malformed verifier, so only the verifier's syntax can reject it.
    [Theory]
    [InlineData("42 characters")]
    [InlineData("129 characters")]
    [InlineData("a plus sign")]
    [InlineData("a slash")]
    [InlineData("padding")]
    [InlineData("a space")]
    [InlineData("a non-ASCII letter")]
    public async Task A_malformed_code_verifier_is_refused_even_when_it_hashes_to_the_challenge(string malformation)
    {
        var verifier = malformation switch
        {
            "42 characters" => CodeGrantSupport.RandomBase64Url(42),
            "129 characters" => CodeGrantSupport.RandomBase64Url(129),
            "a plus sign" => CodeGrantSupport.RandomBase64Url(30) + "+" + CodeGrantSupport.RandomBase64Url(30),
            "a slash" => CodeGrantSupport.RandomBase64Url(30) + "/" + CodeGrantSupport.RandomBase64Url(30),
            "padding" => CodeGrantSupport.RandomBase64Url(60) + "==",
            "a space" => CodeGrantSupport.RandomBase64Url(30) + " " + CodeGrantSupport.RandomBase64Url(30),
            _ => CodeGrantSupport.RandomBase64Url(30) + "é" + CodeGrantSupport.RandomBase64Url(30),
        };
        var pkce = CodeGrantSupport.PkceFor(verifier);
        using var browser = server.NewBrowser();
        var code = await CodeGrantSupport.CodeAsync(browser, SignInClients.CW, "openid api.read", pkce);

        using var response = await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, verifier, SignInClients.CWRedirect);

        // The catalogue allows invalid_grant or invalid_request; never tokens.
        var (status, error, text) = await CodeGrantSupport.OutcomeAsync(response);
        Assert.True(status == 400 && error is "invalid_grant" or "invalid_request", $"A verifier with {malformation}: expected 400 invalid_grant/invalid_request, got {status}: {text}");
        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, error!);
    }

    // RFC 6749 §4.1.3: redirect_uri must be identical to the one of the authorization request.
    [Fact]
    public async Task A_redemption_with_another_redirect_uri_is_invalid_grant()
    {
        var (code, pkce) = await NewCodeAsync();

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, "https://cw.example/cb2"), "redirect_uri https://cw.example/cb2");
    }

    // RFC 6749 §4.1.3: required when the authorization request included it.
    [Fact]
    public async Task A_redemption_without_the_redirect_uri_the_authorization_request_had_is_invalid_grant()
    {
        var (code, pkce) = await NewCodeAsync();

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, redirectUri: null), "no redirect_uri");
    }

    // RFC 6749 §4.1.3 the other way round: when the authorization request had no redirect_uri (one is registered),
    // the token request may omit it; one that differs from the registered URI the response went to is refused.
    [Fact]
    public async Task Without_redirect_uri_in_the_authorization_request_the_token_request_may_omit_it_but_not_change_it()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await CodeWithoutRedirectUriAsync(browser, pkce);
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, "https://cw.example/cb2"), "another redirect_uri");

        using var response = await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, redirectUri: null);
        await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);
    }

    // RFC 8252 §7.3: a native client's loopback redirect may carry any port, and the code is bound to the one used.
    [Fact]
    public async Task A_loopback_code_is_bound_to_the_port_of_its_authorization_request()
    {
        const string redirect = "http://127.0.0.1:51234/cb";
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.PN, redirect, "openid api.read", pkce);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.PN, code, pkce.Verifier, "http://127.0.0.1:51235/cb"), "another loopback port");
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.PN, code, pkce.Verifier, SignInClients.PNRedirect), "the registered loopback URI without the port used");

        using var response = await CodeGrantSupport.RedeemAsync(_client, SignInClients.PN, code, pkce.Verifier, redirect);
        await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);
    }

    // CVE-2026-16089: CV, with its own valid credentials (and the right verifier), redeems CW's code.
    [Fact]
    public async Task Another_client_cannot_redeem_the_code_even_with_its_own_valid_credentials()
    {
        var (code, pkce) = await NewCodeAsync();

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CV, code, pkce.Verifier, SignInClients.CWRedirect), "CV redeems CW's code");
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CV, code, pkce.Verifier, SignInClients.CVRedirect), "CV redeems CW's code on its own redirect");
    }

    // A public client cannot redeem a confidential client's code by naming itself either.
    [Fact]
    public async Task A_public_client_cannot_redeem_a_confidential_clients_code()
    {
        var (code, pkce) = await NewCodeAsync();

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.PN, code, pkce.Verifier, SignInClients.CWRedirect), "PN redeems CW's code");
    }

    [Theory]
    [InlineData("random 43 characters")]
    [InlineData("short garbage")]
    [InlineData("long garbage")]
    public async Task An_unknown_or_garbage_code_is_invalid_grant(string kind)
    {
        var code = kind switch
        {
            "random 43 characters" => CodeGrantSupport.RandomBase64Url(43),
            "short garbage" => "not-a-code",
            _ => new string('A', 4000),
        };

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, PkcePair.New().Verifier, SignInClients.CWRedirect), $"code: {kind}");
    }

    // CVE-2026-4282: one-time stores are namespaced by type: a refresh token is not a code.
    [Fact]
    public async Task A_refresh_token_presented_as_a_code_is_invalid_grant()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await CodeGrantSupport.CodeAsync(browser, SignInClients.CW, "openid offline_access", pkce);
        using var redeemed = await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect);
        var tokens = GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true));

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, tokens.RefreshToken!, pkce.Verifier, SignInClients.CWRedirect), "a refresh token as code");

        // Nor is the access token: only codes are codes.
        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, tokens.AccessToken, pkce.Verifier, SignInClients.CWRedirect), "an access token as code");

        // The refresh token was not consumed by being misused as a code.
        await CodeGrantSupport.RefreshedAsync(_client, SignInClients.CW, tokens.RefreshToken!);
    }

    // RFC 6749 §4.1.3: code is required.
    [Fact]
    public async Task A_redemption_without_code_is_invalid_request()
    {
        using var response = await CodeFlowTokens.PostAsync(_client, SignInClients.CW, SignInClients.CWSecret, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code_verifier"] = PkcePair.New().Verifier,
            ["redirect_uri"] = SignInClients.CWRedirect,
        });

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    // a confidential client must authenticate; naming itself is not enough (400: no Authorization header).
    [Fact]
    public async Task A_confidential_client_without_authentication_is_invalid_client()
    {
        var (code, pkce) = await NewCodeAsync();

        using var response = await CodeFlowTokens.RedeemAsync(_client, SignInClients.CW, secret: null, code, pkce.Verifier, SignInClients.CWRedirect);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "invalid_client");

        // The failed attempt did not spend the code: the rightful redemption still works.
        using var redeemed = await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect);
        await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true);
    }

    // a wrong secret over Basic is 401 invalid_client with a Basic challenge.
    [Fact]
    public async Task A_confidential_client_with_a_wrong_secret_over_basic_is_401_invalid_client()
    {
        var (code, pkce) = await NewCodeAsync();

        using var response = await CodeFlowTokens.RedeemAsync(_client, SignInClients.CW, "wrong-secret-0123456789", code, pkce.Verifier, SignInClients.CWRedirect);

        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    // the error answers are not cacheable either (asserted by TokenErrorAsync); and the code is single-use
    // (the replay tests check the revocation).
    [Fact]
    public async Task A_code_is_redeemed_once()
    {
        var (code, pkce) = await NewCodeAsync();
        using var first = await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect);
        await OAuthAssert.TokenSuccessAsync(first, codeFlow: true);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(_client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect), "the same code again");
    }

    private async Task<(string Code, PkcePair Pkce)> NewCodeAsync(string scope = "openid offline_access api.read")
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        return (await CodeGrantSupport.CodeAsync(browser, SignInClients.CW, scope, pkce), pkce);
    }

    private static async Task<string> CodeWithoutRedirectUriAsync(Browser browser, PkcePair pkce)
    {
        using var response = await browser.AuthorizeAsync(Browser.AuthorizeUrl(SignInClients.CW, redirectUri: null, "openid api.read", pkce));
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"Expected 303 to the client, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.StartsWith(SignInClients.CWRedirect + "?", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return Browser.ResponseParameters(response)["code"];
    }

    /// <summary>RFC 9068: verifies against the JWKS, typ at+jwt, sub is alice's id (a GUID, not her username), client_id and scope.</summary>
    private async Task AssertAccessTokenAsync(GrantTokens tokens, string clientId, string[] scopes)
    {
        Assert.Equal(scopes, OAuthAssert.ScopeSet(tokens.Body));
        Assert.True(tokens.Body.GetProperty("expires_in").GetInt32() > 0);

        var jwks = await CodeGrantSupport.JwksAsync(_client);
        await AccessTokens.AssertValidAsync(tokens.AccessToken, jwks, TestClients.Issuer, TestClients.Issuer);
        Assert.Equal("at+jwt", Jose.Header(tokens.AccessToken)["typ"]!.GetValue<string>());

        var payload = Jose.Payload(tokens.AccessToken);
        var sub = payload["sub"]!.GetValue<string>();
        Assert.True(Guid.TryParse(sub, out _), $"sub must be the user's stable id (a GUID), got '{sub}'");
        Assert.NotEqual(SignInClients.AliceUsername, sub);
        Assert.Equal(await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.AliceUsername), sub, ignoreCase: true);
        Assert.Equal(clientId, payload["client_id"]!.GetValue<string>());
        Assert.Equal(scopes, payload["scope"]!.GetValue<string>().Split(' ').Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.String, tokens.Body.GetProperty("access_token").ValueKind);
    }
}
