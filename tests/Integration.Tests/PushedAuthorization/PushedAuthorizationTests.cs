using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Microsoft.AspNetCore.WebUtilities;
using static AuthService.Integration.Tests.PushedAuthorization.PushedClients;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.PushedAuthorization;

/// <summary>The pushed authorization request endpoint and its request_uri at the authorization endpoint (RFC 9126).</summary>
public sealed class PushedAuthorizationTests(PushedAuthorizationFixture server) : IClassFixture<PushedAuthorizationFixture>
{
    private readonly HttpClient _client = server.Client;

    // RFC 9126 §2, §4: push, open the authorization endpoint with client_id and request_uri, sign in, consent, redeem.
    [Fact]
    public async Task A_pushed_request_goes_through_sign_in_and_consent_to_a_code_and_tokens()
    {
        var pkce = PkcePair.New();
        var requestUri = await PushedRequestUriAsync(_client,
            Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid profile api.read", pkce), SignInClients.CW, SignInClients.CWSecret);
        using var browser = server.NewBrowser();

        using var response = await browser.AuthorizeAsync(AuthorizeUrl(SignInClients.CW, requestUri), SignInClients.BobUsername, SignInClients.BobPassword);

        var code = AssertCode(response, SignInClients.CWRedirect);
        using var token = await CodeFlowTokens.RedeemAsync(_client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var tokens = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("openid profile api.read", tokens.GetProperty("scope").GetString());
        Assert.Equal("n-1", Jose.Payload(tokens.GetProperty("id_token").GetString()!)["nonce"]!.GetValue<string>());
    }

    // RFC 9126 §2: a public client authenticates as at the token endpoint, with its client_id only.
    [Fact]
    public async Task A_public_client_pushes_with_its_client_id()
    {
        var pkce = PkcePair.New();
        var requestUri = await PushedRequestUriAsync(_client,
            Parameters(SignInClients.PN, SignInClients.PNRedirect, "openid api.read", pkce), SignInClients.PN, secret: null);
        using var browser = server.NewBrowser();

        using var response = await browser.AuthorizeAsync(AuthorizeUrl(SignInClients.PN, requestUri));

        var code = AssertCode(response, SignInClients.PNRedirect);
        using var token = await CodeFlowTokens.RedeemAsync(_client, SignInClients.PN, null, code, pkce.Verifier, SignInClients.PNRedirect);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    // RFC 9126 §2.3: client authentication is required; a failure is invalid_client with 401, and nothing is stored.
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret-0123456789")]
    public async Task A_push_without_valid_client_authentication_is_401_and_stores_nothing(string? secret)
    {
        var before = await StoredRequestsAsync(server.Database);
        var form = Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New());

        using var response = await PushAsync(_client, form, SignInClients.CW, secret);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal(before, await StoredRequestsAsync(server.Database));
    }

    [Fact]
    public async Task A_confidential_client_cannot_push_with_its_client_id_alone()
    {
        using var response = await PushAsync(_client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, secret: null);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    // RFC 9126 §2.1: request_uri must not be pushed; §2.3: the authorization endpoint's validation errors, as JSON.
    [Theory]
    [InlineData("request_uri", "urn:ietf:params:oauth:request_uri:abc", "invalid_request")]
    [InlineData("redirect_uri", "https://evil.com/cb", "invalid_request")]
    [InlineData("scope", "openid admin", "invalid_scope")]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("response_type", "token", "unsupported_response_type")]
    [InlineData("prompt", "none login", "invalid_request")]
    [InlineData("request", "not-a-jwt", "invalid_request_object")]
    public async Task An_invalid_push_is_refused_as_the_authorization_endpoint_would_and_stores_nothing(string name, string value, string error)
    {
        var before = await StoredRequestsAsync(server.Database);
        var form = Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New());
        form[name] = value;

        using var response = await PushAsync(_client, form, SignInClients.CW, SignInClients.CWSecret);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, error);
        Assert.Equal(before, await StoredRequestsAsync(server.Database));
    }

    [Fact]
    public async Task A_repeated_parameter_is_refused()
    {
        var content = new FormUrlEncodedContent(
        [
            new("response_type", "code"), new("scope", "openid"), new("scope", "openid"),
            new("code_challenge", PkcePair.New().Challenge), new("code_challenge_method", "S256"),
        ]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/par") { Content = content };
        request.Headers.Authorization = Protocol.Basic(SignInClients.CW, SignInClients.CWSecret);

        using var response = await _client.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task The_endpoint_takes_only_POST()
    {
        using var response = await _client.GetAsync("/connect/par");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    // RFC 9126 §2.2: the request_uri is a handle with enough entropy; only its hash is stored.
    [Fact]
    public async Task Request_uris_are_random_and_stored_only_as_hashes()
    {
        var first = await PushedRequestUriAsync(_client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, SignInClients.CWSecret);
        var second = await PushedRequestUriAsync(_client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, SignInClients.CWSecret);

        Assert.NotEqual(first, second);
        Assert.True(first.Length - RequestUriPrefix.Length >= 43); // 256 bits, base64url
        var stored = await server.Database.QueryAsync("SELECT request_uri_hash FROM pushed_authorization_requests");
        Assert.DoesNotContain(stored, row => first.Contains((string)row[0], StringComparison.Ordinal) || second.Contains((string)row[0], StringComparison.Ordinal));
    }

    // RFC 9126 §4: a reload before the user is done opens the request again; once its code is issued, the
    // request_uri and the sealed request carried by the pages are over, in any browser: an error page, never a redirect.
    [Fact]
    public async Task A_request_uri_can_be_reopened_until_its_code_is_issued_then_never()
    {
        var requestUri = await PushedRequestUriAsync(_client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, SignInClients.CWSecret);
        using var browser = server.NewBrowser();
        await AssertLoginPageAsync(await browser.GetAsync(AuthorizeUrl(SignInClients.CW, requestUri)));
        using var reload = await browser.GetAsync(AuthorizeUrl(SignInClients.CW, requestUri));
        var carried = Browser.HiddenFields(await AssertLoginPageAsync(reload))["request"];

        AssertCode(await browser.AuthorizeAsync(AuthorizeUrl(SignInClients.CW, requestUri), SignInClients.BobUsername, SignInClients.BobPassword), SignInClients.CWRedirect);

        using var again = await browser.GetAsync(AuthorizeUrl(SignInClients.CW, requestUri));
        await AssertErrorPageAsync(again, "invalid_request_uri");
        using var otherBrowser = server.NewBrowser();
        await AssertErrorPageAsync(await otherBrowser.GetAsync(AuthorizeUrl(SignInClients.CW, requestUri)), "invalid_request_uri");
        using var sealedAgain = await browser.GetAsync("/connect/authorize?" + carried);
        await AssertErrorPageAsync(sealedAgain, "invalid_request_uri");
    }

    // Several tabs or replicas completing one pushed request at once: the concurrency token lets exactly one code out.
    [Fact]
    public async Task Parallel_completions_of_one_request_uri_give_exactly_one_code()
    {
        var browsers = Enumerable.Range(0, 6).Select(_ => server.NewBrowser()).ToList();
        foreach (var browser in browsers)
        {
            await browser.CodeAsync(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New()); // signed in, no consent needed
        }

        var requestUri = await PushedRequestUriAsync(_client, Parameters(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New()), SignInClients.CF, SignInClients.CFSecret);

        var responses = await Task.WhenAll(browsers.Select(b => b.GetAsync(AuthorizeUrl(SignInClients.CF, requestUri))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.SeeOther && r.Headers.Location!.OriginalString.Contains("code=", StringComparison.Ordinal)));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        foreach (var browser in browsers)
        {
            browser.Dispose();
        }
    }

    // RFC 9126 §4: the client_id must be the pushing client's. Another client's attempt changes nothing.
    [Fact]
    public async Task Another_client_cannot_use_the_request_uri_and_does_not_use_it_up()
    {
        var requestUri = await PushedRequestUriAsync(_client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, SignInClients.CWSecret);
        using var browser = server.NewBrowser();

        using var stolen = await browser.GetAsync(AuthorizeUrl(SignInClients.CV, requestUri));
        await AssertErrorPageAsync(stolen, "invalid_request_uri");

        using var rightful = await browser.GetAsync(AuthorizeUrl(SignInClients.CW, requestUri));
        await AssertLoginPageAsync(rightful);
    }

    [Theory]
    [InlineData("urn:ietf:params:oauth:request_uri:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("urn:ietf:params:oauth:request_uri:abc")]
    [InlineData("https://evil.com/request.jwt")]
    [InlineData("urn:example:other")]
    public async Task An_unknown_or_foreign_request_uri_is_an_error_page(string requestUri)
    {
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(AuthorizeUrl(SignInClients.CW, requestUri,
            ("redirect_uri", SignInClients.CWRedirect), ("response_type", "code"), ("scope", "openid"), ("state", "st-1")));

        await AssertErrorPageAsync(response, "invalid_request_uri");
    }

    [Fact]
    public async Task A_request_uri_without_client_id_is_an_error_page()
    {
        var requestUri = await PushedRequestUriAsync(_client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, SignInClients.CWSecret);
        using var browser = server.NewBrowser();

        using var response = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize", "request_uri", requestUri));

        await AssertErrorPageAsync(response);
    }

    // RFC 9126 §4: only the pushed parameters count; what the browser adds to the URL is ignored.
    [Fact]
    public async Task Parameters_added_to_the_authorization_url_are_ignored()
    {
        var pkce = PkcePair.New();
        var requestUri = await PushedRequestUriAsync(_client,
            Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid api.read", pkce, state: "pushed-state"), SignInClients.CW, SignInClients.CWSecret);
        using var browser = server.NewBrowser();

        using var response = await browser.AuthorizeAsync(AuthorizeUrl(SignInClients.CW, requestUri,
            ("redirect_uri", "https://evil.com/cb"), ("state", "evil-state"), ("scope", "openid profile email"), ("response_mode", "form_post"),
            ("code_challenge", PkcePair.New().Challenge)), SignInClients.BobUsername, SignInClients.BobPassword);

        var code = AssertCode(response, SignInClients.CWRedirect, state: "pushed-state");
        using var token = await CodeFlowTokens.RedeemAsync(_client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect);
        Assert.Equal("openid api.read", JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement.GetProperty("scope").GetString());
    }

    // The pushed request rides through the pages sealed: altering it in the browser is refused.
    [Fact]
    public async Task A_sealed_request_altered_on_the_sign_in_page_is_refused()
    {
        var requestUri = await PushedRequestUriAsync(_client, Parameters(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New()), SignInClients.CW, SignInClients.CWSecret);
        using var browser = server.NewBrowser();
        using var page = await browser.GetAsync(AuthorizeUrl(SignInClients.CW, requestUri));
        var html = await AssertLoginPageAsync(page);
        var carried = QueryHelpers.ParseQuery(Browser.HiddenFields(html)["request"]);
        Assert.Equal(["client_id", "sealed_request"], carried.Keys.Order(StringComparer.Ordinal));
        var seal = carried["sealed_request"].ToString();
        var (payload, mac) = (seal[..seal.IndexOf('.', StringComparison.Ordinal)], seal[(seal.IndexOf('.', StringComparison.Ordinal) + 1)..]);
        var altered = Jose.Encode(Jose.Decode(payload).Replace(SignInClients.CWRedirect, "https://evil.com/cb", StringComparison.Ordinal).Replace("\\u002F", "/", StringComparison.Ordinal)) + "." + mac;

        using var response = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize",
            new Dictionary<string, string?> { ["client_id"] = SignInClients.CW, ["sealed_request"] = altered }));

        await AssertErrorPageAsync(response);
    }

    // prompt=login pushed by the client cannot be skipped by dropping it from the carried request.
    [Fact]
    public async Task Dropping_a_pushed_prompt_login_from_the_carried_request_does_not_skip_the_sign_in()
    {
        using var browser = server.NewBrowser();
        await browser.CodeAsync(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New()); // a session exists now
        var form = Parameters(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New());
        form["prompt"] = "login";
        var requestUri = await PushedRequestUriAsync(_client, form, SignInClients.CF, SignInClients.CFSecret);
        using var page = await browser.GetAsync(AuthorizeUrl(SignInClients.CF, requestUri));
        var carried = QueryHelpers.ParseQuery(Browser.HiddenFields(await AssertLoginPageAsync(page))["request"]);
        Assert.Equal("login", carried["prompt"].ToString());

        using var skipped = await browser.GetAsync(QueryHelpers.AddQueryString("/connect/authorize",
            new Dictionary<string, string?> { ["client_id"] = SignInClients.CF, ["sealed_request"] = carried["sealed_request"] }));

        await AssertLoginPageAsync(skipped);
    }
}
