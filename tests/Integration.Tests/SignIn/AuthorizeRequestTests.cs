using System.Net;
using System.Text;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// Once client and redirect URI are known good, every other error goes back to the client as
/// REDIRECT-ERROR (303, error, error_description, state, iss), and the parameters a client may send behave as OAuth 2.1 and OIDC Core say.
/// </summary>
public sealed class AuthorizeRequestTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    /// <summary>RFC 7636 Appendix B's S256 challenge: 43 base64url characters.</summary>
    private const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    public static TheoryData<string, string?, string> RedirectedErrors() => new()
    {
        // PKCE S256 for every client (RFC 9700 §2.1.1).
        { "code_challenge", null, "invalid_request" },
        { "code_challenge", "", "invalid_request" }, // empty is absent
        { "code_challenge_method", "plain", "invalid_request" },
        { "code_challenge_method", null, "invalid_request" },
        { "code_challenge_method", "S512", "invalid_request" },
        { "code_challenge_method", "s256", "invalid_request" },
        { "code_challenge", Challenge[..42], "invalid_request" },
        { "code_challenge", Challenge + "A", "invalid_request" },
        { "code_challenge", Challenge[..40] + "+cM", "invalid_request" },
        { "code_challenge", Challenge[..40] + "/cM", "invalid_request" },
        { "code_challenge", Challenge[..42] + "=", "invalid_request" },
        { "code_challenge", Challenge + "=", "invalid_request" },
        { "code_challenge", Challenge[..42] + "\u00e9", "invalid_request" },
        { "code_challenge", Challenge[..40] + " cM", "invalid_request" },
        // The code flow only (RFC 9700 §2.1.2).
        { "response_type", "token", "unsupported_response_type" },
        { "response_type", "id_token token", "unsupported_response_type" },
        { "response_type", "code id_token", "unsupported_response_type" },
        { "response_type", "code token", "unsupported_response_type" },
        { "response_type", "id_token", "unsupported_response_type" },
        { "response_type", "none", "unsupported_response_type" },
        { "response_type", null, "invalid_request" },
        { "response_type", "", "invalid_request" },
        // Scopes (RFC 6749 §4.1.2.1).
        { "scope", "openid admin", "invalid_scope" },
        { "scope", "openid api.write", "invalid_scope" },
        { "scope", null, "invalid_scope" },
        { "scope", "", "invalid_scope" },
        // ASVS 10.4.12: response modes other than query and form_post.
        { "response_mode", "fragment", "invalid_request" },
        { "response_mode", "query.jwt", "invalid_request" },
        { "response_mode", "form_post.jwt", "invalid_request" },
        // OIDC Core §3.1.2.1: none with anything else, unknown prompts, max_age not a number.
        { "prompt", "none login", "invalid_request" },
        { "prompt", "login none", "invalid_request" },
        { "prompt", "none consent", "invalid_request" },
        { "prompt", "bogus", "invalid_request" },
        { "max_age", "-1", "invalid_request" },
        { "max_age", "abc", "invalid_request" },
        { "max_age", "1.5", "invalid_request" },
        { "nonce", new string('n', 1025), "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(RedirectedErrors))]
    public async Task An_invalid_parameter_is_redirected_to_the_client_with_state_and_iss(string name, string? value, string error)
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Cw((name, value)));

        AssertRedirectError(response, SignInClients.CWRedirect, error);
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
    }

    [Theory] // RFC 9700 §2.1.1, ASVS 10.4.6: the public client too, at its loopback URI and the port it asked for.
    [InlineData("code_challenge", null)]
    [InlineData("code_challenge_method", "plain")]
    [InlineData("code_challenge_method", null)]
    public async Task A_public_client_without_S256_pkce_gets_invalid_request(string name, string? value)
    {
        using var browser = server.NewBrowser();
        const string redirectUri = "http://127.0.0.1:49152/cb";

        using var response = await browser.GetAsync(Url(SignInClients.PN, redirectUri, "openid", PkcePair.New(), (name, value)));

        AssertRedirectError(response, redirectUri, "invalid_request");
    }

    [Fact] // ASVS 7.6.2: prompt=none without a session is login_required, and creates no session.
    public async Task Prompt_none_without_a_session_is_login_required()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Cw(("prompt", "none")));

        AssertRedirectError(response, SignInClients.CWRedirect, "login_required");
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
    }

    [Fact] // OIDC Core §3.1.2.6: signed in, but no consent to this client yet.
    public async Task Prompt_none_with_a_session_but_without_consent_is_consent_required()
    {
        using var browser = server.NewBrowser();
        await SignInThroughCfAsync(browser, "m03");

        using var response = await browser.GetAsync(Cw(("prompt", "none")));

        AssertRedirectError(response, SignInClients.CWRedirect, "consent_required");
    }

    [Fact]
    public async Task Prompt_none_with_a_session_and_nothing_to_consent_to_issues_a_code()
    {
        using var browser = server.NewBrowser();
        await SignInThroughCfAsync(browser, "m09");

        using var response = await browser.GetAsync(Cf(("prompt", "none"), ("state", "st-9")));

        AssertCode(response, SignInClients.CFRedirect, "st-9");
    }

    [Fact] // a 2,000-character state comes back byte for byte, and a 384-character nonce in the ID token.
    public async Task A_long_state_and_a_long_nonce_are_echoed_exactly()
    {
        var state = Printable(2000, offset: 0);
        var nonce = Printable(384, offset: 40);
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();

        using var response = await CompleteAsync(browser,
            await browser.GetAsync(Url(SignInClients.CW, SignInClients.CWRedirect, "openid", pkce, ("state", state), ("nonce", nonce))), "m04");

        var code = AssertCode(response, SignInClients.CWRedirect, state);
        var idToken = await IdTokenPayloadAsync(server.Client, code, pkce);
        Assert.Equal(nonce, idToken["nonce"]?.GetValue<string>());
    }

    [Fact] // on the error path: the long state comes back with the error too.
    public async Task A_long_state_is_echoed_exactly_with_an_error()
    {
        var state = Printable(2000, offset: 7);
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Cw(("state", state), ("code_challenge", null)));

        AssertRedirectError(response, SignInClients.CWRedirect, "invalid_request", state);
    }

    [Fact] // unknown parameters are ignored.
    public async Task An_unknown_extra_parameter_is_ignored()
    {
        using var browser = server.NewBrowser();

        using var response = await CompleteAsync(browser, await browser.GetAsync(Cw(("extra", "foobar"))), "m05");

        AssertCode(response, SignInClients.CWRedirect);
        Assert.False(LocationParameters(response.Headers.Location!.OriginalString).ContainsKey("extra"));
    }

    [Fact] // the authorization request as a form POST.
    public async Task An_authorization_request_sent_as_a_form_post_works()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var form = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = SignInClients.CW,
            ["redirect_uri"] = SignInClients.CWRedirect,
            ["scope"] = "openid",
            ["state"] = "st-post",
            ["nonce"] = "n-post",
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        };

        using var page = await browser.Http.PostAsync(AuthorizePath, new FormUrlEncodedContent(form));
        await AssertLoginPageAsync(page);
        using var response = await CompleteAsync(browser, page, "m06");

        var code = AssertCode(response, SignInClients.CWRedirect, "st-post");
        var idToken = await IdTokenPayloadAsync(server.Client, code, pkce);
        Assert.Equal("n-post", idToken["nonce"]?.GetValue<string>());
    }

    [Fact] // with an error: redirected as for GET.
    public async Task A_form_post_authorization_request_with_an_error_is_redirected()
    {
        using var browser = server.NewBrowser();
        var form = new Dictionary<string, string>
        {
            ["response_type"] = "token",
            ["client_id"] = SignInClients.CW,
            ["redirect_uri"] = SignInClients.CWRedirect,
            ["scope"] = "openid",
            ["state"] = "st-post",
        };

        using var response = await browser.Http.PostAsync(AuthorizePath, new FormUrlEncodedContent(form));

        AssertRedirectError(response, SignInClients.CWRedirect, "unsupported_response_type", "st-post");
    }

    [Fact] // ASVS 15.3.7 for the form POST: a repeated field is the error page.
    public async Task A_form_post_authorization_request_with_a_repeated_parameter_gets_the_error_page()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var fields = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"),
            new("client_id", SignInClients.CW),
            new("redirect_uri", SignInClients.CWRedirect),
            new("redirect_uri", "https://evil.com/cb"),
            new("scope", "openid"),
            new("code_challenge", pkce.Challenge),
            new("code_challenge_method", "S256"),
        };

        using var response = await browser.Http.PostAsync(AuthorizePath, new FormUrlEncodedContent(fields));

        await AssertErrorPageAsync(response);
    }

    [Fact] // state= is no state, on errors...
    public async Task An_empty_state_gives_no_state_in_an_error_response()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Cw(("state", ""), ("code_challenge", null)));

        AssertRedirectError(response, SignInClients.CWRedirect, "invalid_request", state: null);
        Assert.DoesNotContain("state=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact] // ...and on success.
    public async Task An_empty_state_gives_no_state_in_the_code_response()
    {
        using var browser = server.NewBrowser();

        using var response = await CompleteAsync(browser, await browser.GetAsync(Cf(("state", ""))), "m07");

        AssertCode(response, SignInClients.CFRedirect, state: null);
        Assert.DoesNotContain("state=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact] // the registered query is kept and the response parameters appended after it.
    public async Task The_registered_query_of_a_redirect_uri_is_kept_and_the_response_appended()
    {
        using var browser = server.NewBrowser();

        using var response = await CompleteAsync(browser, await browser.GetAsync(Cf()), "m08");

        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("https://cf.example/cb?tenant=1&code=", location, StringComparison.Ordinal);
        Assert.Equal(1, location.Count(c => c == '?'));
        AssertCode(response, SignInClients.CFRedirect);
        var parameters = LocationParameters(location);
        Assert.Equal("1", parameters["tenant"]);
        Assert.Equal(["tenant", "code", "state", "iss"], parameters.Keys.ToArray());
    }

    [Fact] // on the error path.
    public async Task The_registered_query_is_kept_in_an_error_response()
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(Cf(("code_challenge_method", "plain")));

        var parameters = AssertRedirectError(response, SignInClients.CFRedirect, "invalid_request");
        Assert.StartsWith("https://cf.example/cb?tenant=1&error=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal("1", parameters["tenant"]);
    }

    [Fact] // Every redirect of a happy flow (sign-in, consent, code) stays on this server until the one to the client.
    public async Task A_happy_flow_redirects_only_with_303_and_unique_parameters()
    {
        using var browser = server.NewBrowser();
        var response = await browser.GetAsync(Cw(("scope", "openid profile")));
        var statuses = new List<int>();
        for (var steps = 0; steps < 10 && (response.StatusCode != HttpStatusCode.SeeOther || IsServerLocation(response)); steps++)
        {
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                response = IsLoginPage(html) ? await browser.SignInAsync(html, "m10", AuthorizeSeed.Password) : await browser.ConsentAsync(html, allow: true);
            }
            else
            {
                Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
                statuses.Add((int)response.StatusCode);
                LocationParameters(response.Headers.Location!.OriginalString);
                response = await browser.GetAsync(response.Headers.Location!.OriginalString);
            }
        }

        Assert.NotEmpty(statuses);
        AssertCode(response, SignInClients.CWRedirect);
    }

    private static bool IsServerLocation(HttpResponseMessage response) =>
        response.Headers.Location?.OriginalString is { } location
        && (location.StartsWith('/') || location.StartsWith(TestClients.Issuer + "/", StringComparison.Ordinal));

    /// <summary>Printable ASCII (space to '~', so also '&amp;', '=', '+', '%', '#', '"' and '&lt;'), cycled to <paramref name="length"/>.</summary>
    private static string Printable(int length, int offset)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append((char)(0x20 + ((i + offset) % 95)));
        }

        return builder.ToString();
    }
}
