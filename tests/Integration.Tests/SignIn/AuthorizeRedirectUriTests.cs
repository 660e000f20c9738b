using System.Net;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// The client and the redirect URI are checked before anything else, and a failure there is an error page
/// at this server, never a redirect (RFC 6749 §4.1.2.1; OAuth 2.1 "Invalid Endpoint"; RFC 9700 §4.1.3
/// exact matching; ASVS 15.3.7 for repeated parameters).
/// </summary>
public sealed class AuthorizeRedirectUriTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    [Theory] // RFC 6749 §4.1.2.1, CVE-2026-41479: an unknown client never redirects, whatever response_type says.
    [InlineData("code")]
    [InlineData("token")]
    [InlineData("foo")]
    [InlineData(null)]
    public async Task An_unknown_client_gets_the_error_page_and_is_never_redirected(string? responseType)
    {
        using var browser = server.NewBrowser();
        using var response = await browser.GetAsync(Url("no-such-client", "https://evil.com", "openid", PkcePair.New(), ("response_type", responseType)));

        await AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task A_request_without_client_id_gets_the_error_page()
    {
        using var browser = server.NewBrowser();
        using var response = await browser.GetAsync(Cw(("client_id", null)));

        await AssertErrorPageAsync(response);
    }

    [Fact] // an empty client_id is an absent one.
    public async Task A_request_with_an_empty_client_id_gets_the_error_page()
    {
        using var browser = server.NewBrowser();
        using var response = await browser.GetAsync(Cw(("client_id", "")));

        await AssertErrorPageAsync(response);
    }

    [Theory]
    [InlineData("https://cw.example/cb/")] // RFC 9700 §2.1, §4.1.3 trailing slash
    [InlineData("https://cw.example/CB")] // RFC 9700 §4.1.3, GHSA-grfp-q2mm-hfp6 path case
    [InlineData("https://cw.example/Cb")]
    [InlineData("https://CW.EXAMPLE/cb")] // RFC 9700 §4.1.3 host case
    [InlineData("https://Cw.example/cb")]
    [InlineData("HTTPS://cw.example/cb")]
    [InlineData("https://cw.example:443/cb")] // RFC 9700 §4.1.3 default port written out
    [InlineData("https://cw.example:8443/cb")]
    [InlineData("http://cw.example/cb")] // scheme downgrade
    [InlineData("https://cw.example/cb?x=1")] // query added
    [InlineData("https://cw.example/cb?")]
    [InlineData("https://cw.example/cb.evil.com")] // RFC 9700 §4.1.1 look-alikes
    [InlineData("https://cw.example/cbx")]
    [InlineData("https://cw.example/c")]
    [InlineData("https://cw.example.evil.com/cb")]
    [InlineData("https://evil.com/https://cw.example/cb")]
    [InlineData("https://evil.com/cb")]
    [InlineData("https://cw.example/c%62")] // RFC 9700 §4.1.3 encoded and traversal variants
    [InlineData("https://cw.example/%63b")]
    [InlineData("https://cw.example/cb/../x")]
    [InlineData("https://cw.example/cb/..;/x")] // CVE-2026-3872
    [InlineData("https://cw.example/cb%2F..%2Fx")]
    [InlineData("https://cw.example/cb/%2e%2e/x")]
    [InlineData("https://cw.example/cb%252e%252e/x")]
    [InlineData("https://cw.example/cb%3Bx")]
    [InlineData("https://cw.example/cb%0d%0a")]
    [InlineData("https://cw.example/cb%00")]
    [InlineData("https://cw.example/cb{HT}")] // control characters inside the value itself (written as placeholders)
    [InlineData("https://cw.example/c{HT}b")]
    [InlineData("https://cw.example/cb{CR}{LF}Location: https://evil.com")]
    [InlineData("https://cw.example/cb{NUL}")]
    [InlineData(" https://cw.example/cb")]
    [InlineData("https://cw.example/cb ")]
    [InlineData("https://cw.example\\cb")]
    [InlineData("https://cw.example@evil.com/cb")] // RFC 9700 §4.1.3 userinfo
    [InlineData("https://a@b@cw.example/cb")] // CVE-2026-7504
    [InlineData("https://cw.example/cb@evil.com")]
    [InlineData("https://cw.example/cb#x")] // fragment
    [InlineData("https://cw.example/cb#")]
    [InlineData("https://cw.\u0435xample/cb")] // Unicode look-alikes: Cyrillic e
    [InlineData("https://\u0441w.example/cb")] // Cyrillic es
    [InlineData("https://cw.example/\u0441b")]
    [InlineData("https://\uFF43\uFF57.example/cb")] // full-width "cw"
    [InlineData("https://cw.example/\uFF43\uFF42")]
    [InlineData("https://cw.example\u3002evil.com/cb")] // ideographic full stop
    [InlineData("https://cw.example/cb\u200B")] // zero-width space
    [InlineData("http://127.0.0.1/cb")] // GHSA-rfq3-w54c-f9q5: a loopback URI never stands in for a non-loopback registration
    [InlineData("http://127.0.0.1:49152/cb")]
    public async Task A_redirect_uri_that_is_not_exactly_the_registered_one_gets_the_error_page(string redirectUri)
    {
        redirectUri = redirectUri.Replace("{HT}", "\t", StringComparison.Ordinal).Replace("{CR}", "\r", StringComparison.Ordinal)
            .Replace("{LF}", "\n", StringComparison.Ordinal).Replace("{NUL}", "\0", StringComparison.Ordinal);
        using var browser = server.NewBrowser();
        using var response = await browser.GetAsync(Url(SignInClients.CW, redirectUri, "openid", PkcePair.New()));

        await AssertErrorPageAsync(response);
    }

    [Fact] // another tenant in the registered query is another URI.
    public async Task A_changed_query_of_a_registered_redirect_uri_gets_the_error_page()
    {
        using var browser = server.NewBrowser();
        foreach (var redirectUri in new[] { "https://cf.example/cb?tenant=2", "https://cf.example/cb?tenant=1&x=1", "https://cf.example/cb", "https://cf.example/cb?TENANT=1" })
        {
            using var response = await browser.GetAsync(Url(SignInClients.CF, redirectUri, "openid", PkcePair.New()));
            await AssertErrorPageAsync(response);
        }
    }

    [Fact] // with two URIs registered the parameter is required.
    public async Task A_client_with_several_redirect_uris_must_name_one()
    {
        using var browser = server.NewBrowser();
        using var missing = await browser.GetAsync(Url(SignInClients.CM, null, "openid", PkcePair.New()));
        await AssertErrorPageAsync(missing);

        using var empty = await browser.GetAsync(Url(SignInClients.CM, "", "openid", PkcePair.New()));
        await AssertErrorPageAsync(empty);

        // Either registered URI works when named.
        using var second = await browser.GetAsync(Url(SignInClients.CM, "https://cm.example/cb2", "openid", PkcePair.New()));
        await AssertLoginPageAsync(second);
    }

    [Theory] // the redirect URI is checked first, so no error ever goes to an unvalidated URI.
    [InlineData("scope", "openid admin")]
    [InlineData("response_type", "token")]
    [InlineData("response_type", null)]
    [InlineData("code_challenge", null)]
    [InlineData("code_challenge_method", "plain")]
    [InlineData("response_mode", "fragment")]
    [InlineData("prompt", "none")]
    public async Task A_bad_redirect_uri_together_with_another_error_gets_the_error_page(string name, string? value)
    {
        using var browser = server.NewBrowser();
        using var response = await browser.GetAsync(Url(SignInClients.CW, "https://evil.com/cb", "openid", PkcePair.New(), (name, value)));

        await AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task A_bad_redirect_uri_together_with_a_bad_scope_and_response_type_gets_the_error_page()
    {
        using var browser = server.NewBrowser();
        using var response = await browser.GetAsync(Url(SignInClients.CW, "https://cw.example/cb/", "nope", PkcePair.New(),
            ("response_type", "token"), ("code_challenge", null)));

        await AssertErrorPageAsync(response);
    }

    [Theory] // ASVS 15.3.7: a repeated parameter is invalid_request, shown here; even when both values are the same.
    [InlineData("redirect_uri", SignInClients.CWRedirect)]
    [InlineData("redirect_uri", "https://evil.com/cb")]
    [InlineData("client_id", SignInClients.CW)]
    [InlineData("client_id", SignInClients.CV)]
    [InlineData("scope", "openid")]
    [InlineData("scope", "api.read")]
    [InlineData("response_type", "code")]
    [InlineData("state", "st-2")]
    public async Task A_repeated_parameter_gets_the_error_page(string name, string secondValue)
    {
        using var browser = server.NewBrowser();
        var url = Cw() + "&" + Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(secondValue);

        using var response = await browser.GetAsync(url);

        await AssertErrorPageAsync(response);
    }

    [Theory] // GHSA-rfq3-w54c-f9q5, CVE-2024-8883: for a loopback registration only the port may vary.
    [InlineData("http://127.0.0.1:49152/cb2")]
    [InlineData("http://127.0.0.1:49152/cb?x=1")]
    [InlineData("http://127.0.0.1:49152/cb?bar=foo")]
    [InlineData("http://127.0.0.1:49152/cb/")]
    [InlineData("http://127.0.0.1:49152/CB")]
    [InlineData("http://127.0.0.1:49152/cb#x")]
    [InlineData("https://127.0.0.1:49152/cb")]
    [InlineData("https://127.0.0.1/cb")]
    [InlineData("http://127.0.0.1.evil.com:8080/cb")]
    [InlineData("http://127.0.0.1.evil.com/cb")]
    [InlineData("http://127.0.0.1@evil.com/cb")]
    [InlineData("http://127.0.0.1:49152@evil.com/cb")]
    [InlineData("http://evil.com@127.0.0.1/cb")]
    [InlineData("http://localhost:8080/cb")]
    [InlineData("http://localhost/cb")]
    [InlineData("http://localhost.evil.com/cb")]
    [InlineData("http://[::1]:49152/cb")] // not registered: one loopback literal does not stand in for another
    [InlineData("http://127.0.0.2:49152/cb")]
    [InlineData("http://127.1:49152/cb")]
    [InlineData("http://127.0.0.1:0/cb")]
    [InlineData("http://127.0.0.1:65536/cb")]
    [InlineData("http://127.0.0.1:/cb")]
    [InlineData("http://127.0.0.1:-1/cb")]
    [InlineData("http://127.0.0.1:80x/cb")]
    public async Task A_loopback_redirect_uri_that_differs_in_more_than_the_port_gets_the_error_page(string redirectUri)
    {
        using var browser = server.NewBrowser();
        using var response = await browser.GetAsync(Url(SignInClients.PN, redirectUri, "openid", PkcePair.New()));

        await AssertErrorPageAsync(response);
    }

    [Theory] // RFC 9700 §4.1.3: any port on the registered loopback URI.
    [InlineData("http://127.0.0.1:49152/cb")]
    [InlineData("http://127.0.0.1:1/cb")]
    [InlineData("http://127.0.0.1:65535/cb")]
    [InlineData("http://127.0.0.1/cb")]
    public async Task A_loopback_redirect_uri_on_any_port_is_accepted(string redirectUri)
    {
        using var browser = server.NewBrowser();
        using var response = await browser.GetAsync(Url(SignInClients.PN, redirectUri, "openid", PkcePair.New()));

        var html = await AssertLoginPageAsync(response);
        Assert.Contains("form-action 'self' http://127.0.0.1:*", response.Header("Content-Security-Policy") ?? "", StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
    }

    [Fact] // RFC 9700 §4.1.3: and the code goes to the port the client asked for.
    public async Task The_code_of_a_loopback_client_goes_to_the_port_it_asked_for()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        const string redirectUri = "http://127.0.0.1:49152/cb";

        using var response = await CompleteAsync(browser, await browser.GetAsync(Url(SignInClients.PN, redirectUri, "openid api.read", pkce)), "m01");

        var code = AssertCode(response, redirectUri);
        using var tokens = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.PN, null, code, pkce.Verifier, redirectUri);
        await OAuthAssert.TokenSuccessAsync(tokens, codeFlow: true);
    }

    [Fact] // with one URI registered, leaving it out uses that URI (this server's choice).
    public async Task A_client_with_one_redirect_uri_may_leave_it_out_and_the_code_goes_to_the_registered_uri()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();

        using var response = await CompleteAsync(browser, await browser.GetAsync(Url(SignInClients.CW, null, "openid", pkce)), "m02");

        var code = AssertCode(response, SignInClients.CWRedirect);
        Assert.StartsWith(SignInClients.CWRedirect + "?code=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var tokens = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, redirectUri: null);
        await OAuthAssert.TokenSuccessAsync(tokens, codeFlow: true);
    }

    [Fact] // nothing of the request is reflected unencoded on the error page.
    public async Task The_error_page_reflects_no_markup_of_the_request()
    {
        using var browser = server.NewBrowser();
        const string script = "<script>alert(1)</script>";

        using var response = await browser.GetAsync(Url("<img src=x onerror=alert(1)>", "https://evil.com/" + script, script, PkcePair.New(),
            ("state", script), ("nonce", script), ("login_hint", script)));

        var html = await AssertErrorPageAsync(response);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact] // OPTIONS and GET with an evil Origin never get CORS headers (RFC 9700 §2.6) even on the error page.
    public async Task The_error_page_has_the_page_headers_and_no_cors()
    {
        using var browser = server.NewBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("no-such-client", "https://evil.com", "openid", PkcePair.New()));
        request.Headers.Add("Origin", "https://evil.com");

        using var response = await browser.Http.SendAsync(request);

        await AssertErrorPageAsync(response);
        OAuthAssert.SecurityHeaders(response);
        var policy = response.Header("Content-Security-Policy") ?? "";
        Assert.Contains("form-action 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", policy, StringComparison.Ordinal);
        Assert.Null(response.Header("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
