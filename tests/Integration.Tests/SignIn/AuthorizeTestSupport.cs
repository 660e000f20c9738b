using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// The seed of the sign-in page tests: the <see cref="SignInClients"/> fixtures plus members (users with
/// one shared password, so a test can use a user no other test of its class touches: consent and lockout
/// are per user) and a client whose name is HTML.
/// </summary>
public static class AuthorizeSeed
{
    public const string Password = "member-password-0123456";

    /// <summary>Confidential client whose display name is markup, to check the pages encode it.</summary>
    public const string HtmlClient = "CH";
    public const string HtmlClientSecret = "ch-secret-0123456789abcdef";
    public const string HtmlClientName = "<b>Evil</b> & \"Co\" <script>alert(1)</script>";
    public const string HtmlClientRedirect = "https://ch.example/cb";

    public const string SessionCookie = "__Host-authservice-session";
    public const string CsrfCookie = "__Host-authservice-csrf";

    public static readonly string[] Members = [.. Enumerable.Range(1, 12).Select(i => $"m{i:00}")];

    public static string Email(string member) => $"{member}@example.com";

    public static string Json()
    {
        var seed = SignInClients.SeedDocument();
        var client = TestClients.Client(HtmlClient, HtmlClientSecret, "client_secret_basic", ["authorization_code", "refresh_token"],
            "openid profile email api.read", redirectUris: [HtmlClientRedirect]);
        client["client_name"] = HtmlClientName;
        seed["clients"]!.AsArray().Add(client);
        var users = seed["users"]!.AsArray();
        foreach (var member in Members)
        {
            users.Add(new JsonObject { ["username"] = member, ["email"] = Email(member), ["name"] = "Member " + member, ["password"] = Password });
        }

        return seed.ToJsonString();
    }
}

/// <summary><see cref="SignInFixture"/> with the members and the HTML-named client of <see cref="AuthorizeSeed"/>.</summary>
public class AuthorizeFixture : SignInFixture
{
    protected override string SeedJson => AuthorizeSeed.Json();

    /// <summary>A client without a cookie jar (cookies are set by hand), https so the __Host- cookies apply.</summary>
    public HttpClient NewRawClient() => Factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = false,
        BaseAddress = new Uri("https://localhost"),
    });
}

/// <summary>Requests and the catalogue's outcome checks (ERROR-PAGE, REDIRECT-ERROR) for the authorization endpoint.</summary>
internal static partial class AuthorizeTesting
{
    public const string AuthorizePath = "/connect/authorize";

    /// <summary>
    /// A happy authorization request (response_type=code, S256 PKCE, state st-1, nonce n-1) with
    /// <paramref name="changes"/> applied in order: a name already present gets the new value (null removes
    /// it), a new name is appended.
    /// </summary>
    public static string Url(string clientId, string? redirectUri, string? scope, PkcePair pkce, params (string Name, string? Value)[] changes)
    {
        var parameters = new List<KeyValuePair<string, string?>>
        {
            new("response_type", "code"),
            new("client_id", clientId),
            new("redirect_uri", redirectUri),
            new("scope", scope),
            new("state", "st-1"),
            new("nonce", "n-1"),
            new("code_challenge", pkce.Challenge),
            new("code_challenge_method", "S256"),
        };
        foreach (var (name, value) in changes)
        {
            var index = parameters.FindIndex(p => p.Key == name);
            if (index >= 0)
            {
                parameters[index] = new(name, value);
            }
            else
            {
                parameters.Add(new(name, value));
            }
        }

        return QueryHelpers.AddQueryString(AuthorizePath, parameters.Where(p => p.Value is not null));
    }

    /// <summary>A request of CW to its registered redirect URI for <c>openid</c>, with <paramref name="changes"/>.</summary>
    public static string Cw(params (string Name, string? Value)[] changes) =>
        Url(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New(), changes);

    /// <summary>A request of the first-party client CF (no consent) for <c>openid</c>, with <paramref name="changes"/>.</summary>
    public static string Cf(params (string Name, string? Value)[] changes) =>
        Url(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New(), changes);

    /// <summary>
    /// ERROR-PAGE (§0): HTTP 400, an HTML page naming <paramref name="error"/>, no
    /// Location, no form (nothing auto-submits anywhere), no code or token. Returns the page.
    /// </summary>
    public static async Task<string> AssertErrorPageAsync(HttpResponseMessage response, string error = "invalid_request")
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
            $"Expected the 400 error page, got {(int)response.StatusCode} (Location: {response.Headers.Location}): {html}");
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
        Assert.Contains($"<code>{error}</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id_token", html, StringComparison.Ordinal);
        // The page's random CSP nonce may spell "evil" by chance; only the rest of the page must not.
        Assert.DoesNotContain("evil", System.Text.RegularExpressions.Regex.Replace(html, "nonce=\"[^\"]*\"", "nonce"), StringComparison.OrdinalIgnoreCase);
        return html;
    }

    /// <summary>
    /// REDIRECT-ERROR(<paramref name="error"/>): a 303 to <paramref name="redirectUri"/> (its own query kept)
    /// with error, an error_description, state (or none when <paramref name="state"/> is null), iss, and no
    /// code; error and error_description in the RFC 6749 §4.1.2.1 character set. Returns the parameters.
    /// </summary>
    public static Dictionary<string, string> AssertRedirectError(HttpResponseMessage response, string redirectUri, string error, string? state = "st-1")
    {
        var parameters = AssertAuthorizationResponse(response, redirectUri, state);
        Assert.Equal(error, parameters.GetValueOrDefault("error"));
        Assert.True(parameters.TryGetValue("error_description", out var description) && description.Length > 0, "error_description is missing");
        AssertErrorCharacters(parameters["error"]);
        AssertErrorCharacters(description!);
        Assert.False(parameters.ContainsKey("code"), "An error response carries a code.");
        return parameters;
    }

    /// <summary>A successful authorization response to <paramref name="redirectUri"/>: code, state and iss. Returns the code.</summary>
    public static string AssertCode(HttpResponseMessage response, string redirectUri, string? state = "st-1")
    {
        var parameters = AssertAuthorizationResponse(response, redirectUri, state);
        Assert.False(parameters.ContainsKey("error"), $"Expected a code, got error={parameters.GetValueOrDefault("error")}: {parameters.GetValueOrDefault("error_description")}");
        Assert.True(parameters.TryGetValue("code", out var code) && code.Length > 0, "The response carries no code.");
        return code!;
    }

    /// <summary>303 to the redirect URI in query mode; parameters unique, state as expected, iss == issuer.</summary>
    public static Dictionary<string, string> AssertAuthorizationResponse(HttpResponseMessage response, string redirectUri, string? state)
    {
        var location = response.Headers.Location?.OriginalString;
        if (response.StatusCode != HttpStatusCode.SeeOther || location is null)
        {
            Assert.Fail($"Expected a 303 to {redirectUri}, got {(int)response.StatusCode} (Location: {location}): {Body(response)}");
        }

        Assert.StartsWith(redirectUri + (redirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?"), location, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var parameters = LocationParameters(location);
        Assert.Equal(TestClients.Issuer, parameters.GetValueOrDefault("iss"));
        if (state is null)
        {
            Assert.False(parameters.ContainsKey("state"), $"No state was sent, yet the response has state={parameters.GetValueOrDefault("state")}");
        }
        else
        {
            Assert.Equal(state, parameters.GetValueOrDefault("state"));
        }

        return parameters;
    }

    /// <summary>
    /// The query of a Location as form-decoded pairs; exactly one '?', no fragment, and every name at
    /// most once (CVE-2026-9689: a repeated response parameter lets the first value win).
    /// </summary>
    public static Dictionary<string, string> LocationParameters(string location)
    {
        Assert.Equal(1, location.Count(c => c == '?'));
        Assert.DoesNotContain('#', location);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in location[(location.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            Assert.True(parameters.TryAdd(name, value), $"The parameter '{name}' appears more than once in {location}");
        }

        return parameters;

        static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
    }

    /// <summary>RFC 6749 §4.1.2.1 / §5.2: error and error_description use only %x20-21 / %x23-5B / %x5D-7E.</summary>
    public static void AssertErrorCharacters(string value)
    {
        foreach (var c in value)
        {
            Assert.True(c is (>= '\x20' and <= '\x21') or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E'),
                $"'{value}' holds U+{(int)c:X4}, outside the characters an OAuth error may use.");
        }
    }

    public static bool IsLoginPage(string html) => html.Contains("name=\"password\"", StringComparison.Ordinal);

    public static bool IsConsentPage(string html) => html.Contains("name=\"decision\"", StringComparison.Ordinal);

    /// <summary>Asserts a 200 sign-in page and returns it.</summary>
    public static async Task<string> AssertLoginPageAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && IsLoginPage(html),
            $"Expected the sign-in page (200), got {(int)response.StatusCode} (Location: {response.Headers.Location}): {html}");
        return html;
    }

    /// <summary>Asserts a 200 consent page and returns it.</summary>
    public static async Task<string> AssertConsentPageAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && IsConsentPage(html),
            $"Expected the consent page (200), got {(int)response.StatusCode} (Location: {response.Headers.Location}): {html}");
        return html;
    }

    /// <summary>
    /// From a response of the flow, answers the pages as <see cref="Browser.AuthorizeAsync"/> does (sign in
    /// as <paramref name="username"/>, consent if asked) and returns the first response that leaves the server.
    /// </summary>
    public static async Task<HttpResponseMessage> CompleteAsync(Browser browser, HttpResponseMessage response, string username,
        string password = AuthorizeSeed.Password, bool allow = true)
    {
        response = await browser.FollowAsync(response);
        for (var pages = 0; pages < 4 && response.StatusCode == HttpStatusCode.OK; pages++)
        {
            var html = await response.Content.ReadAsStringAsync();
            if (IsLoginPage(html))
            {
                response = await browser.SignInAsync(html, username, password);
            }
            else if (IsConsentPage(html))
            {
                response = await browser.ConsentAsync(html, allow);
            }
            else
            {
                break;
            }

            response = await browser.FollowAsync(response);
        }

        return response;
    }

    /// <summary>Signs <paramref name="member"/> in through CF (no consent asked) and returns the new session cookie's value.</summary>
    public static async Task<string> SignInThroughCfAsync(Browser browser, string member, string password = AuthorizeSeed.Password)
    {
        var login = await AssertLoginPageAsync(await browser.GetAsync(Cf()));
        var signedIn = await browser.SignInAsync(login, member, password);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var session = SetCookieValue(signedIn, AuthorizeSeed.SessionCookie);
        Assert.False(string.IsNullOrEmpty(session), "Signing in set no session cookie.");
        AssertCode(await browser.FollowAsync(signedIn), SignInClients.CFRedirect);
        return session!;
    }

    /// <summary>Redeems a code of CW (with <paramref name="pkce"/>) and returns the ID token's payload, read without validation.</summary>
    public static async Task<JsonObject> IdTokenPayloadAsync(HttpClient client, string code, PkcePair pkce, string clientId = SignInClients.CW,
        string secret = SignInClients.CWSecret, string? redirectUri = SignInClients.CWRedirect)
    {
        using var response = await CodeFlowTokens.RedeemAsync(client, clientId, secret, code, pkce.Verifier, redirectUri);
        var tokens = await OAuthAssert.TokenSuccessAsync(response, codeFlow: true);
        return Jose.Payload(tokens.GetProperty("id_token").GetString()!);
    }

    public static IReadOnlyList<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];

    /// <summary>The value the response's Set-Cookie headers give cookie <paramref name="name"/> (the last one wins), or null.</summary>
    public static string? SetCookieValue(HttpResponseMessage response, string name) =>
        SetCookies(response).Select(header => header.Split(';')[0].Trim())
            .Where(pair => pair.StartsWith(name + "=", StringComparison.Ordinal))
            .Select(pair => pair[(name.Length + 1)..])
            .LastOrDefault();

    /// <summary>Sends with exactly the cookies given (a raw client has no jar); an absolute URL under the issuer is made relative.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, IReadOnlyDictionary<string, string> cookies,
        IReadOnlyDictionary<string, string>? form = null)
    {
        var request = new HttpRequestMessage(method, url.StartsWith(TestClients.Issuer, StringComparison.Ordinal) ? url[TestClients.Issuer.Length..] : url);
        if (cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return client.SendAsync(request);
    }

    /// <summary>The action of a page's form (HTML-decoded).</summary>
    public static string FormAction(string html) => WebUtility.HtmlDecode(FormActionPattern().Match(html).Groups[1].Value);

    /// <summary>The page with everything that differs per response or per typed username blanked: values and nonces.</summary>
    public static string WithoutVariableParts(string html) => NoncePattern().Replace(ValuePattern().Replace(html, "value=\"\""), "nonce=\"\"");

    /// <summary>The body, for failure messages (the test server's content is already buffered).</summary>
    public static string Body(HttpResponseMessage response)
    {
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return reader.ReadToEnd();
    }

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\"")]
    private static partial Regex FormActionPattern();

    [GeneratedRegex("value=\"[^\"]*\"")]
    private static partial Regex ValuePattern();

    [GeneratedRegex("nonce=\"[^\"]*\"")]
    private static partial Regex NoncePattern();
}
