using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// A cookie jar that sends every cookie it holds to the one server it talks to, whatever the scheme: the
/// servers under test set <c>Secure</c> <c>__Host-</c> cookies (their issuer is https) while a replica
/// process listens on plain http, which a <see cref="CookieContainer"/> would never send back. A deleted
/// cookie (empty value or an expiry in the past) leaves the jar. The values stay readable, so a test can
/// replay an old session cookie after logout (ASVS 7.4.1).
/// </summary>
public sealed class EndSessionCookieJar : DelegatingHandler
{
    /// <param name="inner">The handler to send through (null when a factory chains it).</param>
    /// <param name="cookies">Another jar's cookies, to share one browser's cookies between two servers (replicas of one issuer).</param>
    public EndSessionCookieJar(HttpMessageHandler? inner = null, ConcurrentDictionary<string, string>? cookies = null)
    {
        if (inner is not null)
        {
            InnerHandler = inner;
        }

        Cookies = cookies ?? new(StringComparer.Ordinal);
    }

    public ConcurrentDictionary<string, string> Cookies { get; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!Cookies.IsEmpty && !request.Headers.Contains("Cookie"))
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues(HeaderNames.SetCookie, out var values))
        {
            foreach (var value in values)
            {
                if (!SetCookieHeaderValue.TryParse(value, out var cookie))
                {
                    continue;
                }

                var name = cookie.Name.ToString();
                if (cookie.Value.Length == 0 || cookie.Expires is { } expires && expires <= DateTimeOffset.UtcNow)
                {
                    Cookies.TryRemove(name, out _);
                }
                else
                {
                    Cookies[name] = cookie.Value.ToString();
                }
            }
        }

        return response;
    }
}

/// <summary>The tokens of one code flow run, and the browser session it ran in.</summary>
public sealed record EndSessionTokens(string AccessToken, string? IdToken, string? RefreshToken, string Scope, string? SessionCookie)
{
    /// <summary>The <c>sub</c> of the ID token (null without one).</summary>
    public string? IdTokenSubject => IdToken is null ? null : Jose.Payload(IdToken)["sub"]!.GetValue<string>();

    public string AccessTokenSubject => Jose.Payload(AccessToken)["sub"]!.GetValue<string>();
}

/// <summary>Requests and checks shared by the UserInfo, end-session, purge and cross-replica tests.</summary>
public static class EndSessionFlows
{
    public const string EndSessionPath = "/connect/endsession";
    public const string UserInfoPath = "/connect/userinfo";
    public const string SessionCookie = "__Host-authservice-session";

    /// <summary>A browser on an in-process server (https, so the <c>__Host-</c> cookies apply) with a readable jar.</summary>
    public static (Browser Browser, EndSessionCookieJar Jar) NewBrowser(WebApplicationFactory<Program> factory)
    {
        var jar = new EndSessionCookieJar();
        return (new Browser(factory.CreateDefaultClient(new Uri("https://localhost"), jar)), jar);
    }

    /// <summary>
    /// A browser on a real server process over http, with a readable jar; given <paramref name="sharing"/>,
    /// the same cookies as that jar (the same user agent, talking to another replica).
    /// </summary>
    public static (Browser Browser, EndSessionCookieJar Jar) NewBrowser(Uri baseAddress, EndSessionCookieJar? sharing = null)
    {
        var jar = new EndSessionCookieJar(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }, sharing?.Cookies);
        return (new Browser(new HttpClient(jar) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) }), jar);
    }

    /// <summary>
    /// Signs in (or reuses the browser's session), consents if asked, redeems the code at
    /// <paramref name="backChannel"/> and returns the tokens. Asserts every step.
    /// </summary>
    public static async Task<EndSessionTokens> SignInAsync(
        Browser browser,
        EndSessionCookieJar jar,
        HttpClient backChannel,
        string scope,
        string clientId = SignInClients.CW,
        string? secret = SignInClients.CWSecret,
        string redirectUri = SignInClients.CWRedirect,
        string username = SignInClients.AliceUsername,
        string password = SignInClients.AlicePassword)
    {
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(clientId, redirectUri, scope, pkce, username: username, password: password);
        using var response = await CodeFlowTokens.RedeemAsync(backChannel, clientId, secret, code, pkce.Verifier, redirectUri);
        var body = await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);
        return new EndSessionTokens(
            body.GetProperty("access_token").GetString()!,
            body.TryGetProperty("id_token", out var idToken) ? idToken.GetString() : null,
            body.TryGetProperty("refresh_token", out var refreshToken) ? refreshToken.GetString() : null,
            body.GetProperty("scope").GetString()!,
            jar.Cookies.GetValueOrDefault(SessionCookie));
    }

    /// <summary>The end-session URL with the given parameters (null values left out), in order.</summary>
    public static string EndSessionUrl(params (string Name, string? Value)[] parameters) =>
        QueryHelpers.AddQueryString(EndSessionPath, parameters.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));

    /// <summary>
    /// <c>prompt=none</c> for CW (which has consented to <c>openid</c>): the authorization response's
    /// parameters. <c>error=login_required</c> means the browser has no session any more.
    /// </summary>
    public static async Task<Dictionary<string, string>> PromptNoneAsync(Browser browser, string clientId = SignInClients.CW, string redirectUri = SignInClients.CWRedirect)
    {
        using var response = await browser.GetAsync(Browser.AuthorizeUrl(clientId, redirectUri, "openid", PkcePair.New(),
            extra: new Dictionary<string, string> { ["prompt"] = "none" }));
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"prompt=none: expected a 303 to the client, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.StartsWith(redirectUri, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return Browser.ResponseParameters(response);
    }

    /// <summary>Asserts the browser still has an active session: prompt=none yields a code.</summary>
    public static async Task AssertSignedInAsync(Browser browser, string because)
    {
        var parameters = await PromptNoneAsync(browser);
        Assert.True(parameters.ContainsKey("code"),
            $"{because}: the session should still be active, but prompt=none answered error={parameters.GetValueOrDefault("error")}");
    }

    /// <summary>Asserts the browser has no session: prompt=none yields login_required (ASVS 7.4.1).</summary>
    public static async Task AssertSignedOutAsync(Browser browser, string because)
    {
        var parameters = await PromptNoneAsync(browser);
        Assert.False(parameters.ContainsKey("code"), $"{because}: prompt=none still issued a code");
        Assert.Equal("login_required", parameters.GetValueOrDefault("error"));
    }

    /// <summary>The Set-Cookie of <paramref name="name"/> in the response, parsed (null if none).</summary>
    public static SetCookieHeaderValue? SetCookie(HttpResponseMessage response, string name)
    {
        if (!response.Headers.TryGetValues(HeaderNames.SetCookie, out var values))
        {
            return null;
        }

        return values.Select(v => SetCookieHeaderValue.TryParse(v, out var cookie) ? cookie : null)
            .LastOrDefault(c => c is not null && c.Name.Equals(name, StringComparison.Ordinal));
    }

    /// <summary>The response deletes the session cookie: a Set-Cookie for it with an empty value and an expiry in the past.</summary>
    public static void AssertSessionCookieCleared(HttpResponseMessage response)
    {
        var cookie = SetCookie(response, SessionCookie);
        Assert.True(cookie is not null, $"No Set-Cookie for {SessionCookie}; headers: {response.Headers}");
        Assert.True(cookie!.Expires is { } expires && expires < DateTimeOffset.UtcNow, $"The session cookie is not expired: {cookie}");
        Assert.True(cookie.Value.Length == 0, $"The cleared session cookie still carries a value: {cookie}");
        Assert.Equal("/", cookie.Path.ToString());
        Assert.True(cookie.Secure, $"The cleared cookie lacks Secure (a __Host- cookie needs it to be accepted): {cookie}");
    }

    /// <summary>A UserInfo request (GET or POST) with <c>Authorization: Bearer token</c> when a token is given.</summary>
    public static async Task<HttpResponseMessage> UserInfoAsync(HttpClient client, string? token, HttpMethod? method = null, Action<HttpRequestMessage>? change = null)
    {
        method ??= HttpMethod.Get;
        using var request = new HttpRequestMessage(method, UserInfoPath);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new FormUrlEncodedContent([]);
        }

        change?.Invoke(request);
        return await client.SendAsync(request);
    }

    /// <summary>200 JSON, no-store: the claims.</summary>
    public static async Task<JsonElement> UserInfoClaimsAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200 from UserInfo, got {(int)response.StatusCode} ({response.Header("WWW-Authenticate")}): {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        return body;
    }

    /// <summary>
    /// RFC 6750 §3: the status, <c>WWW-Authenticate: Bearer ...</c> with <c>error="x"</c> (or no error
    /// attribute at all when <paramref name="error"/> is null), no claims in the body, no-store.
    /// </summary>
    public static async Task AssertBearerErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? error, string because)
    {
        var text = await response.Content.ReadAsStringAsync();
        var challenge = response.Header("WWW-Authenticate");
        Assert.True(response.StatusCode == status, $"{because}: expected {(int)status} {error}, got {(int)response.StatusCode} ({challenge}): {text}");
        Assert.True(challenge is not null && challenge.StartsWith("Bearer", StringComparison.Ordinal), $"{because}: WWW-Authenticate is {challenge ?? "(absent)"}");
        if (error is null)
        {
            Assert.DoesNotContain("error=", challenge, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"error=\"{error}\"", challenge, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("\"sub\"", text, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    /// <summary>The refresh grant with <paramref name="refreshToken"/> fails with invalid_grant (TOKEN-ERROR).</summary>
    public static async Task AssertRefreshRefusedAsync(HttpClient client, string refreshToken, string because,
        string clientId = SignInClients.CW, string? secret = SignInClients.CWSecret)
    {
        using var response = await CodeFlowTokens.RefreshAsync(client, clientId, secret, refreshToken);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: expected 400 invalid_grant, got {(int)response.StatusCode}: {text}");
        Assert.Equal("invalid_grant", JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
    }
}
