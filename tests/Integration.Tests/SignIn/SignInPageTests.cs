using System.Net;
using System.Text.RegularExpressions;
using AuthService.Domain.Common;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// The sign-in page and its form: headers (RFC 9700 §4.16), cookies
/// (ASVS 3.3.1), markup (ASVS 6.2.7), the 303 after signing in (RFC 9700 §4.12), and the anti-forgery
/// check of the login and consent posts (RFC 6749 §10.12).
/// </summary>
public sealed partial class SignInPageTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    public const string LoginPath = "/account/login";
    public const string ConsentPath = "/account/consent";

    [Fact]
    public async Task The_sign_in_page_is_html_that_is_not_cached_framed_or_scripted()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Cw());

        var html = await AssertLoginPageAsync(response);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
        OAuthAssert.SecurityHeaders(response);
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.Equal("no-referrer", response.Header("Referrer-Policy"));
        Assert.Equal("same-origin", response.Header("Cross-Origin-Opener-Policy"));

        var policy = response.Header("Content-Security-Policy") ?? "";
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("*", policy, StringComparison.Ordinal);
        Assert.Equal("form-action 'self' https://cw.example", Directive(policy, "form-action"));

        // The style block carries the nonce the policy names, and a new one each time.
        var nonce = StyleNonce().Match(html).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), "The page's style block has no nonce.");
        Assert.Contains($"'nonce-{nonce}'", policy, StringComparison.Ordinal);
        using var again = await browser.GetAsync(Cw());
        Assert.DoesNotContain($"'nonce-{nonce}'", again.Header("Content-Security-Policy") ?? "", StringComparison.Ordinal);

        // RFC 9700 §4.2.4: no third-party resources, no scripts at all on this page.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact] // RFC 9700 §2.6: CORS is never supported at the authorization endpoint.
    public async Task The_authorization_endpoint_sends_no_cors_headers_to_another_origin()
    {
        using var browser = server.NewBrowser();
        using var get = new HttpRequestMessage(HttpMethod.Get, Cw());
        get.Headers.Add("Origin", "https://evil.com");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Cw());
        preflight.Headers.Add("Origin", "https://evil.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");

        using var getResponse = await browser.Http.SendAsync(get);
        using var preflightResponse = await browser.Http.SendAsync(preflight);

        await AssertLoginPageAsync(getResponse);
        Assert.Null(getResponse.Header("Access-Control-Allow-Origin"));
        Assert.Null(getResponse.Header("Access-Control-Allow-Credentials"));
        Assert.Null(preflightResponse.Header("Access-Control-Allow-Origin"));
        Assert.Null(preflightResponse.Header("Access-Control-Allow-Methods"));
    }

    [Fact] // ASVS 6.2.7: a real password field password managers can fill; labelled fields (WCAG 1.3.1).
    public async Task The_sign_in_form_has_labelled_username_and_password_fields()
    {
        using var browser = server.NewBrowser();

        var html = await AssertLoginPageAsync(await browser.GetAsync(Cw()));

        var password = Input(html, "password");
        Assert.Contains("type=\"password\"", password, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"current-password\"", password, StringComparison.Ordinal);
        Assert.Contains("id=\"password\"", password, StringComparison.Ordinal);
        var username = Input(html, "username");
        Assert.Contains("type=\"text\"", username, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"username\"", username, StringComparison.Ordinal);
        Assert.Contains("id=\"username\"", username, StringComparison.Ordinal);
        Assert.Contains("<label for=\"username\">", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onpaste", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("autocomplete=\"off\"", html, StringComparison.Ordinal);
        Assert.Matches("<form method=\"post\" action=\"/account/login\"", html);
        Assert.Contains("name=\"csrf_token\"", html, StringComparison.Ordinal);
    }

    [Fact] // the client's name is shown, HTML-encoded.
    public async Task The_client_name_is_shown_html_encoded()
    {
        using var browser = server.NewBrowser();

        var html = await AssertLoginPageAsync(await browser.GetAsync(
            Url(AuthorizeSeed.HtmlClient, AuthorizeSeed.HtmlClientRedirect, "openid", PkcePair.New())));

        var shown = ClientName().Match(html);
        Assert.True(shown.Success, "The page does not name the client.");
        Assert.Equal(AuthorizeSeed.HtmlClientName, WebUtility.HtmlDecode(shown.Groups[1].Value));
        Assert.DoesNotContain("<b>Evil", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Co\"", html, StringComparison.Ordinal);
    }

    [Fact] // the request's values are carried in the page HTML-encoded; none breaks out of its attribute.
    public async Task The_sign_in_page_carries_the_request_without_reflecting_markup()
    {
        using var browser = server.NewBrowser();
        const string attack = "\"><script>alert(1)</script>";

        var html = await AssertLoginPageAsync(await browser.GetAsync(Cw(("state", attack), ("nonce", attack), ("login_hint", attack))));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var carried = QueryHelpers.ParseQuery(Browser.HiddenFields(html)["request"]);
        Assert.Equal(attack, carried["state"].ToString());
        Assert.Equal(attack, carried["nonce"].ToString());
    }

    [Fact] // ASVS 3.3.1: every cookie is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain.
    public async Task Every_cookie_is_host_prefixed_secure_httponly_lax_and_host_only()
    {
        using var browser = server.NewBrowser();
        using var page = await browser.GetAsync(Cw());
        var login = await AssertLoginPageAsync(page);
        using var signedIn = await browser.SignInAsync(login, "m01", AuthorizeSeed.Password);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);

        var cookies = SetCookies(page).Concat(SetCookies(signedIn)).ToList();
        Assert.Contains(cookies, c => c.StartsWith(AuthorizeSeed.CsrfCookie + "=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith(AuthorizeSeed.SessionCookie + "=", StringComparison.Ordinal));
        foreach (var cookie in cookies)
        {
            var parts = cookie.Split(';', StringSplitOptions.TrimEntries);
            var attributes = parts.Skip(1).Select(a => a.ToLowerInvariant()).ToList();
            Assert.StartsWith("__Host-", parts[0], StringComparison.Ordinal);
            Assert.Contains("secure", attributes);
            Assert.Contains("httponly", attributes);
            Assert.Contains("samesite=lax", attributes);
            Assert.Contains("path=/", attributes);
            Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
        }

        // ASVS 7.2.3: the session handle is a 256-bit random value, base64url.
        var session = SetCookieValue(signedIn, AuthorizeSeed.SessionCookie)!;
        Assert.Matches("^[A-Za-z0-9_-]{43}$", session);
    }

    [Fact] // RFC 9700 §4.12: the login POST answers 303 back to the authorization endpoint, never 307/308.
    public async Task Signing_in_answers_303_to_the_authorization_endpoint()
    {
        using var browser = server.NewBrowser();
        var login = await AssertLoginPageAsync(await browser.GetAsync(Cw()));

        using var response = await browser.SignInAsync(login, "m02", AuthorizeSeed.Password);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(TestClients.Issuer + AuthorizePath + "?", location, StringComparison.Ordinal);
        Assert.DoesNotContain("password", location, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(AuthorizeSeed.Password, location, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        using var next = await browser.GetAsync(location);
        await AssertConsentPageAsync(next);
    }

    [Fact]
    public async Task A_user_can_sign_in_with_the_e_mail_address()
    {
        using var browser = server.NewBrowser();

        using var response = await CompleteAsync(browser, await browser.GetAsync(Cf()), AuthorizeSeed.Email("m03"));

        AssertCode(response, SignInClients.CFRedirect);
    }

    [Fact] // RFC 6749 §10.12: the form without its anti-forgery token is refused and signs nobody in.
    public async Task A_login_post_without_the_csrf_token_is_refused()
    {
        using var browser = server.NewBrowser();
        var login = await AssertLoginPageAsync(await browser.GetAsync(Cw()));
        var form = Browser.HiddenFields(login);
        Assert.True(form.Remove("csrf_token"));
        form["username"] = "m04";
        form["password"] = AuthorizeSeed.Password;

        using var response = await browser.Http.PostAsync(FormAction(login), new FormUrlEncodedContent(form));

        await AssertErrorPageAsync(response);
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
        await AssertLoginPageAsync(await browser.GetAsync(Cw()));
    }

    [Fact]
    public async Task A_login_post_with_another_csrf_token_is_refused()
    {
        using var browser = server.NewBrowser();
        var login = await AssertLoginPageAsync(await browser.GetAsync(Cw()));
        var form = Browser.HiddenFields(login);
        form["csrf_token"] = OpaqueToken.New();
        form["username"] = "m04";
        form["password"] = AuthorizeSeed.Password;

        using var response = await browser.Http.PostAsync(FormAction(login), new FormUrlEncodedContent(form));

        await AssertErrorPageAsync(response);
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
        await AssertLoginPageAsync(await browser.GetAsync(Cw()));
    }

    [Fact] // A cross-site form: the attacker copies a valid token, but the victim's browser sends no csrf cookie with it.
    public async Task A_cross_site_login_post_without_the_csrf_cookie_is_refused()
    {
        using var attacker = server.NewBrowser();
        var login = await AssertLoginPageAsync(await attacker.GetAsync(Cw()));
        var form = Browser.HiddenFields(login);
        form["username"] = "m04";
        form["password"] = AuthorizeSeed.Password;
        using var victim = server.NewRawClient();

        using var response = await SendAsync(victim, HttpMethod.Post, FormAction(login), new Dictionary<string, string>(), form);

        await AssertErrorPageAsync(response);
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
    }

    [Fact] // The token of one browser is no good with another browser's cookie.
    public async Task A_login_post_with_the_csrf_token_of_another_browser_is_refused()
    {
        using var attacker = server.NewBrowser();
        using var victim = server.NewBrowser();
        var attackerPage = await AssertLoginPageAsync(await attacker.GetAsync(Cw()));
        var victimPage = await AssertLoginPageAsync(await victim.GetAsync(Cw()));
        var form = Browser.HiddenFields(victimPage);
        form["csrf_token"] = Browser.HiddenFields(attackerPage)["csrf_token"];
        form["username"] = "m04";
        form["password"] = AuthorizeSeed.Password;

        using var response = await victim.Http.PostAsync(FormAction(victimPage), new FormUrlEncodedContent(form));

        await AssertErrorPageAsync(response);
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
    }

    [Fact] // RFC 6749 §10.12 for consent: no token, no grant.
    public async Task A_consent_post_without_the_csrf_token_is_refused_and_grants_nothing()
    {
        using var browser = server.NewBrowser();
        var (page, _) = await CompleteUntilConsentAsync(browser, "m05");
        var consent = await AssertConsentPageAsync(page);
        var form = Browser.HiddenFields(consent);
        Assert.True(form.Remove("csrf_token"));
        form["decision"] = "allow";

        using var response = await browser.Http.PostAsync(FormAction(consent), new FormUrlEncodedContent(form));

        await AssertErrorPageAsync(response);
        using var prompted = await browser.GetAsync(Cw(("prompt", "none")));
        AssertRedirectError(prompted, SignInClients.CWRedirect, "consent_required");
    }

    [Fact] // A cross-site auto-submitting consent form: the session cookie rides along only in a raw client; no csrf cookie, no grant.
    public async Task A_cross_site_consent_post_without_the_csrf_cookie_is_refused_and_grants_nothing()
    {
        using var browser = server.NewBrowser();
        var (page, session) = await CompleteUntilConsentAsync(browser, "m06");
        var consent = await AssertConsentPageAsync(page);
        var form = Browser.HiddenFields(consent);
        form["decision"] = "allow";
        using var raw = server.NewRawClient();

        using var response = await SendAsync(raw, HttpMethod.Post, FormAction(consent),
            new Dictionary<string, string> { [AuthorizeSeed.SessionCookie] = session }, form);

        await AssertErrorPageAsync(response);
        using var prompted = await browser.GetAsync(Cw(("prompt", "none")));
        AssertRedirectError(prompted, SignInClients.CWRedirect, "consent_required");
    }

    [Fact] // The request carried by the form is validated again: a tampered redirect_uri is the error page, and signs nobody in.
    public async Task A_login_post_whose_carried_request_has_another_redirect_uri_gets_the_error_page()
    {
        using var browser = server.NewBrowser();
        var login = await AssertLoginPageAsync(await browser.GetAsync(Cw()));
        var form = Browser.HiddenFields(login);
        var tampered = form["request"].Replace(Uri.EscapeDataString(SignInClients.CWRedirect), Uri.EscapeDataString("https://evil.com/cb"), StringComparison.Ordinal);
        Assert.NotEqual(form["request"], tampered);
        form["request"] = tampered;
        form["username"] = "m08";
        form["password"] = AuthorizeSeed.Password;

        using var response = await browser.Http.PostAsync(FormAction(login), new FormUrlEncodedContent(form));

        await AssertErrorPageAsync(response);
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
    }

    [Fact] // ...and a carried request downgraded to plain PKCE goes back to the client as invalid_request, signing nobody in.
    public async Task A_login_post_whose_carried_request_asks_for_plain_pkce_is_redirected_as_invalid_request()
    {
        using var browser = server.NewBrowser();
        var login = await AssertLoginPageAsync(await browser.GetAsync(Cw()));
        var form = Browser.HiddenFields(login);
        var tampered = form["request"].Replace("code_challenge_method=S256", "code_challenge_method=plain", StringComparison.Ordinal);
        Assert.NotEqual(form["request"], tampered);
        form["request"] = tampered;
        form["username"] = "m08";
        form["password"] = AuthorizeSeed.Password;

        using var response = await browser.Http.PostAsync(FormAction(login), new FormUrlEncodedContent(form));

        AssertRedirectError(response, SignInClients.CWRedirect, "invalid_request");
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
    }

    [Theory] // ASVS 3.5.3: the forms' targets take POST only.
    [InlineData(LoginPath)]
    [InlineData(ConsentPath)]
    public async Task The_form_targets_refuse_get(string path)
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    /// <summary>Signs <paramref name="member"/> in for CW (openid); returns the next response (the consent page) and the session cookie.</summary>
    private static async Task<(HttpResponseMessage Page, string Session)> CompleteUntilConsentAsync(Browser browser, string member)
    {
        var login = await AssertLoginPageAsync(await browser.GetAsync(Cw()));
        using var signedIn = await browser.SignInAsync(login, member, AuthorizeSeed.Password);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var session = SetCookieValue(signedIn, AuthorizeSeed.SessionCookie);
        Assert.NotNull(session);
        return (await browser.FollowAsync(signedIn), session);
    }

    private static string Directive(string policy, string name) =>
        policy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith(name + " ", StringComparison.Ordinal));

    private static string Input(string html, string name)
    {
        var match = Regex.Match(html, "<input[^>]*name=\"" + name + "\"[^>]*>");
        Assert.True(match.Success, $"No input named {name}.");
        return match.Value;
    }

    [GeneratedRegex("<style nonce=\"([^\"]+)\">")]
    private static partial Regex StyleNonce();

    [GeneratedRegex("to continue to <strong>(.*?)</strong>")]
    private static partial Regex ClientName();
}
