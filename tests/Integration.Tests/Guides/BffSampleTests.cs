using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/bff-aspnetcore.md: samples/Bff (ASP.NET Core's OpenID Connect handler and cookies) as its own process, signing
/// gina in at the server through the code flow with PKCE, driven by a browser made of an HttpClient (cookie jar, redirects
/// followed one by one, the sign-in and consent forms posted as a browser without JavaScript posts them) that records every
/// response it receives. The API the BFF calls is a <see cref="RecordingApi"/>, so the test knows each access token the BFF
/// used and can check that none of them, nor any other JWT, ever reached the browser.
/// </summary>
[Collection(WebGuideCollection.Name)]
public sealed partial class BffSampleTests(WebGuideServer server)
{
    private static readonly TimeSpan RenewalBound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_BFF_signs_in_with_PKCE_keeps_tokens_server_side_renews_them_and_signs_out_at_the_server()
    {
        using var api = RecordingApi.Start();
        var bff = new Uri(server.BffAddress);
        // Tokens live 30 s (the client's access_token_lifetime); renewing 29 s ahead makes every request a second after a
        // renewal renew again, so the test sees several renewals quickly.
        await using var process = await WebGuideServer.StartSampleAsync("Bff", bff,
            ["--Oidc:Authority", server.Issuer, "--Oidc:ClientId", WebGuideServer.Bff, "--Oidc:ClientSecret", WebGuideServer.BffSecret,
             "--Oidc:Resource", WebGuideServer.OrdersApi, "--Oidc:RefreshBefore", "00:00:29", "--Api:BaseAddress", api.Address.ToString()],
            "/", HttpStatusCode.OK);
        using var browser = new RecordingBrowser { Diagnostics = () => process.Output };

        // Not signed in: the JSON endpoints answer 401 (a fetch cannot follow a sign-in redirect) and want the X-CSRF header.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.FetchAsync(new Uri(bff, "/api/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.FetchAsync(new Uri(bff, "/api/me"), csrfHeader: false)).StatusCode);

        // Sign in: /login pushes the authorization request to the server (RFC 9126: the handler uses PAR when the server
        // advertises it) and sends the browser to the authorization endpoint with only client_id and the request_uri. The
        // request itself (code, the S256 PKCE challenge, resource, scopes) never passes through the browser; the server
        // requires PKCE of every client, so the code redemption below succeeds only with the verifier of that challenge.
        var signInPage = await browser.NavigateAsync(new Uri(bff, "/login"));
        var authorize = browser.Visited.Single(u => u.AbsolutePath == "/connect/authorize");
        var query = QueryHelpers.ParseQuery(authorize.Query);
        Assert.Equal(server.Issuer, authorize.GetLeftPart(UriPartial.Authority));
        Assert.Equal(["client_id", "request_uri"], query.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(WebGuideServer.Bff, query["client_id"]);
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", query["request_uri"].ToString(), StringComparison.Ordinal);

        var consentPage = await browser.SubmitAsync(signInPage, new() { ["username"] = GuideServer.Username, ["password"] = GuideServer.Password });
        var home = await browser.SubmitAsync(consentPage, new() { ["decision"] = "allow" });
        Assert.Equal(bff.GetLeftPart(UriPartial.Authority) + "/", browser.Current.ToString());
        Assert.Contains("Signed in as <strong id=\"user\">", home, StringComparison.Ordinal);

        // The proxy: the BFF calls the API with the session's access token, for the orders API, and the browser gets the API's answer.
        var me = await browser.FetchAsync(new Uri(bff, "/api/me"));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("{\"path\":\"/me\"}", me.Body);
        var first = api.Requests.Single().BearerToken!;
        var introspection = await BackChannel.ActiveAsync(await server.Http.IntrospectAsync(first, Protocol.Basic(WebGuideServer.Bff, WebGuideServer.BffSecret)));
        Assert.Equal(WebGuideServer.OrdersApi, introspection.GetProperty("aud").ValueKind == System.Text.Json.JsonValueKind.Array
            ? introspection.GetProperty("aud")[0].GetString() : introspection.GetProperty("aud").GetString());
        Assert.Equal(WebGuideServer.Bff, introspection.GetProperty("client_id").GetString());
        Assert.Equal("orders.read", introspection.GetProperty("scope").GetString());

        // The session's user, as the page's script sees it: gina, the subject of the access token, and no token.
        var user = await browser.FetchAsync(new Uri(bff, "/bff/user"));
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Equal(introspection.GetProperty("sub").GetString(), System.Text.Json.JsonDocument.Parse(user.Body).RootElement.GetProperty("sub").GetString());

        // Renewal: once the token is within RefreshBefore of expiry, the next request renews it with the refresh token.
        await UntilTheApiSeesANewTokenAsync(browser, bff, api, parallel: 1);
        // Concurrent requests of one session at the moment of renewal share one refresh-token redemption: had two of them
        // redeemed the same rotated refresh token, the server would have revoked the family and the session would have ended.
        await UntilTheApiSeesANewTokenAsync(browser, bff, api, parallel: 6);
        var tokens = api.Requests.Select(r => r.BearerToken!).Distinct().ToList();
        Assert.True(tokens.Count >= 3);

        // Tokens never reach the browser: no response of the BFF holds a JWT (access and ID tokens are JWTs), no response of
        // either site holds an access token the BFF used, and the session cookie is only a key to the server-side ticket,
        // shorter than one access token alone.
        foreach (var response in browser.Responses)
        {
            foreach (var token in tokens)
            {
                Assert.DoesNotContain(token, response.Text, StringComparison.Ordinal);
            }

            if (response.Url.Authority == bff.Authority)
            {
                Assert.DoesNotMatch(Jwt(), response.Text);
            }
        }

        var cookies = browser.Cookies.GetCookies(bff);
        Assert.Equal(["bff-session"], cookies.Select(c => c.Name));
        Assert.True(cookies[0].HttpOnly);
        Assert.True(cookies[0].Value.Length < tokens.Min(t => t.Length), $"The session cookie has {cookies[0].Value.Length} characters.");

        // Sign out: the BFF sends the browser to the end-session endpoint with id_token_hint and its post-logout redirect, the
        // server ends its session and sends the browser back, and the BFF's session is gone.
        var signedOut = await browser.NavigateAsync(new Uri(bff, "/logout"), HttpMethod.Post);
        var endSession = browser.Visited.Single(u => u.AbsolutePath == "/connect/endsession");
        var logoutQuery = QueryHelpers.ParseQuery(endSession.Query);
        Assert.Equal(server.BffAddress + "/signed-out", logoutQuery["post_logout_redirect_uri"]);
        Assert.False(string.IsNullOrEmpty(logoutQuery["id_token_hint"]));
        Assert.Contains("Not signed in.", signedOut, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.FetchAsync(new Uri(bff, "/api/me"))).StatusCode);
        Assert.DoesNotContain(browser.Cookies.GetCookies(bff), c => c.Name == "bff-session" && !c.Expired);

        // The server's session ended too: signing in again asks for the password.
        Assert.Contains("name=\"password\"", await browser.NavigateAsync(new Uri(bff, "/login")), StringComparison.Ordinal);

        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token, process.Output, StringComparison.Ordinal);
        }
    }

    /// <summary>Calls /api/me (<paramref name="parallel"/> at a time) until the API receives a token it has not seen; every call must succeed.</summary>
    private static async Task UntilTheApiSeesANewTokenAsync(RecordingBrowser browser, Uri bff, RecordingApi api, int parallel)
    {
        var seen = api.Requests.Select(r => r.BearerToken).ToHashSet();
        var deadline = DateTime.UtcNow + RenewalBound;
        while (api.Requests.All(r => seen.Contains(r.BearerToken)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"No renewed token within {RenewalBound.TotalSeconds} s.");
            var calls = await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => browser.FetchAsync(new Uri(bff, "/api/me"))));
            Assert.All(calls, c => Assert.Equal(HttpStatusCode.OK, c.StatusCode));
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+")]
    private static partial Regex Jwt();

    /// <summary>
    /// A browser without JavaScript: one cookie jar, redirects followed one at a time, forms posted with their hidden fields,
    /// and every response kept (URL, status, headers and body as text).
    /// </summary>
    private sealed partial class RecordingBrowser : IDisposable
    {
        private readonly HttpClient _http;
        private readonly ConcurrentQueue<RecordedResponse> _responses = new();
        private readonly List<Uri> _visited = [];

        public RecordingBrowser()
        {
            _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true }) { Timeout = TimeSpan.FromSeconds(30) };
        }

        public CookieContainer Cookies { get; } = new();

        /// <summary>What to show when a navigation fails (the BFF's log).</summary>
        public Func<string>? Diagnostics { get; init; }

        public Uri Current { get; private set; } = new("about:blank");

        public IReadOnlyList<Uri> Visited => _visited;

        public IReadOnlyList<RecordedResponse> Responses => [.. _responses];

        /// <summary>Goes to <paramref name="url"/> and follows redirects; returns the final page's HTML.</summary>
        public async Task<string> NavigateAsync(Uri url, HttpMethod? method = null, HttpContent? content = null)
        {
            var response = await SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, url) { Content = content });
            for (var hops = 0; (int)response.StatusCode is >= 300 and < 400 && hops < 10; hops++)
            {
                response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(response.Url, response.Location!)));
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} at {response.Url}: {response.Text}\n{Diagnostics?.Invoke()}");
            return response.Text;
        }

        /// <summary>Posts the page's form with its hidden fields plus <paramref name="fields"/>, then follows redirects.</summary>
        public Task<string> SubmitAsync(string html, Dictionary<string, string> fields)
        {
            var form = Browser.HiddenFields(html);
            foreach (var (name, value) in fields)
            {
                form[name] = value;
            }

            var action = WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value);
            return NavigateAsync(new Uri(Current, action), HttpMethod.Post, new FormUrlEncodedContent(form));
        }

        /// <summary>A same-origin fetch of the page's script: X-CSRF: 1 unless told otherwise.</summary>
        public async Task<RecordedResponse> FetchAsync(Uri url, bool csrfHeader = true)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (csrfHeader)
            {
                request.Headers.Add("X-CSRF", "1");
            }

            return await SendAsync(request, navigation: false);
        }

        private async Task<RecordedResponse> SendAsync(HttpRequestMessage request, bool navigation = true)
        {
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
            var recorded = new RecordedResponse(request.RequestUri!, response.StatusCode, response.Headers.Location, headers + "\n\n" + body);
            _responses.Enqueue(recorded);
            if (navigation)
            {
                lock (_visited)
                {
                    _visited.Add(request.RequestUri!);
                }

                Current = request.RequestUri!;
            }

            return recorded;
        }

        public void Dispose() => _http.Dispose();

        [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\"")]
        private static partial Regex FormAction();
    }

    private sealed record RecordedResponse(Uri Url, HttpStatusCode StatusCode, Uri? Location, string Text)
    {
        public string Body => Text[(Text.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
    }
}
