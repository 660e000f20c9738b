using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>The browser-flow fixtures: users and clients of the code flow (§0 names where they exist).</summary>
public static class SignInClients
{
    public const string AliceUsername = "alice";
    public const string AlicePassword = "alice-password-0123";
    public const string AliceEmail = "alice@example.com";
    public const string BobUsername = "bob";
    public const string BobPassword = "bob-password-0123456";

    /// <summary>Confidential web client: code + refresh, consent required.</summary>
    public const string CW = "CW";
    public const string CWSecret = "cw-secret-0123456789abcdef";
    public const string CWRedirect = "https://cw.example/cb";
    public const string CWSignedOut = "https://cw.example/signed-out";

    /// <summary>Second confidential web client, for cross-client binding (C2 in the catalogue's sense).</summary>
    public const string CV = "CV";
    public const string CVSecret = "cv-secret-0123456789abcdef";
    public const string CVRedirect = "https://cv.example/cb";

    /// <summary>Public native client on a loopback redirect (P1 in the catalogue), code + refresh.</summary>
    public const string PN = "PN";
    public const string PNRedirect = "http://127.0.0.1/cb";

    /// <summary>First-party client that needs no consent, registered with a query in its redirect URI (CQ in the catalogue).</summary>
    public const string CF = "CF";
    public const string CFSecret = "cf-secret-0123456789abcdef";
    public const string CFRedirect = "https://cf.example/cb?tenant=1";

    /// <summary>Client with several redirect URIs (CM in the catalogue).</summary>
    public const string CM = "CM";
    public const string CMSecret = "cm-secret-0123456789abcdef";

    public static JsonObject SeedDocument()
    {
        var seed = TestClients.SeedDocument();
        var clients = seed["clients"]!.AsArray();
        clients.Add(Web(CW, CWSecret, [CWRedirect], "openid profile email offline_access api.read", postLogout: [CWSignedOut]));
        clients.Add(Web(CV, CVSecret, [CVRedirect], "openid profile email offline_access api.read"));
        clients.Add(Web(PN, null, [PNRedirect], "openid profile offline_access api.read"));
        var firstParty = Web(CF, CFSecret, [CFRedirect], "openid profile email offline_access api.read");
        firstParty["require_consent"] = false;
        clients.Add(firstParty);
        clients.Add(Web(CM, CMSecret, ["https://cm.example/cb1", "https://cm.example/cb2"], "openid api.read"));
        seed["users"] = new JsonArray(
            new JsonObject { ["username"] = AliceUsername, ["email"] = AliceEmail, ["email_verified"] = true, ["name"] = "Alice Example", ["password"] = AlicePassword },
            new JsonObject { ["username"] = BobUsername, ["email"] = "bob@example.com", ["name"] = "Bob Example", ["password"] = BobPassword });
        return seed;
    }

    public static string SeedJson() => SeedDocument().ToJsonString();

    private static JsonObject Web(string clientId, string? secret, string[] redirectUris, string scope, string[]? postLogout = null)
    {
        var client = TestClients.Client(clientId, secret, secret is null ? "none" : "client_secret_basic",
            ["authorization_code", "refresh_token"], scope, redirectUris: redirectUris);
        if (postLogout is not null)
        {
            client["post_logout_redirect_uris"] = new JsonArray([.. postLogout.Select(u => (JsonNode)u)]);
        }

        return client;
    }
}

/// <summary>A server with the sign-in fixtures (users and code-flow clients) besides the standard clients.</summary>
public class SignInFixture : AuthServerFixture
{
    protected override string SeedJson => SignInClients.SeedJson();

    /// <summary>A new browser: its own cookie jar, no automatic redirects, https so the __Host- cookies are kept.</summary>
    public Browser NewBrowser() => new(Factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    }));
}

/// <summary>A PKCE pair (RFC 7636): a 64-character verifier and its S256 challenge.</summary>
public sealed record PkcePair(string Verifier, string Challenge)
{
    public static PkcePair New()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(48));
        return new PkcePair(verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Drives the sign-in pages the way a browser without JavaScript does: GET the authorization endpoint,
/// fill and post the forms (with their hidden anti-forgery token and request), follow the 303s on this
/// server, and stop at the first redirect that leaves it (the authorization response).
/// </summary>
public sealed partial class Browser(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public static string AuthorizeUrl(string clientId, string? redirectUri, string scope, PkcePair pkce, string? state = "st-1", string? nonce = "n-1",
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            parameters[name] = value;
        }

        return QueryHelpers.AddQueryString("/connect/authorize", parameters.Where(p => p.Value is not null)!);
    }

    /// <summary>GET a URL of this server (an absolute URL under the issuer is made relative).</summary>
    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(Local(url));

    /// <summary>Posts a page's form: its hidden fields (csrf_token, request) plus <paramref name="fields"/>, to its action.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string html, IReadOnlyDictionary<string, string> fields)
    {
        var form = HiddenFields(html);
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return await Http.PostAsync(Local(WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value)), new FormUrlEncodedContent(form));
    }

    public Task<HttpResponseMessage> SignInAsync(string loginPage, string username, string password) =>
        SubmitAsync(loginPage, new Dictionary<string, string> { ["username"] = username, ["password"] = password });

    public Task<HttpResponseMessage> ConsentAsync(string consentPage, bool allow) =>
        SubmitAsync(consentPage, new Dictionary<string, string> { ["decision"] = allow ? "allow" : "deny" });

    /// <summary>Follows 303s within this server; returns the first response that is not a redirect to it.</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response)
    {
        for (var hops = 0; hops < 10 && await NextAsync(response) is { } next && IsLocal(next); hops++)
        {
            response = await GetAsync(next);
        }

        return response;
    }

    /// <summary>
    /// Where the browser goes next: a redirect's <c>Location</c>, or the target of a page that navigates on by itself (the
    /// server's continue page after an upstream round trip: a refresh pragma); null for neither.
    /// </summary>
    public static async Task<string?> NextAsync(HttpResponseMessage response)
    {
        if (IsRedirect(response))
        {
            return response.Headers.Location!.OriginalString;
        }

        return response.StatusCode == HttpStatusCode.OK && RefreshPragma().Match(await response.Content.ReadAsStringAsync()) is { Success: true } refresh
            ? WebUtility.HtmlDecode(refresh.Groups[1].Value)
            : null;
    }

    /// <summary>
    /// The whole happy path: authorize, sign in if asked, consent if asked, and return the authorization
    /// response's redirect (a 303 to the client).
    /// </summary>
    public async Task<HttpResponseMessage> AuthorizeAsync(string authorizeUrl, string username = SignInClients.AliceUsername,
        string password = SignInClients.AlicePassword, bool allow = true)
    {
        var response = await GetAsync(authorizeUrl);
        for (var pages = 0; pages < 4 && response.StatusCode == HttpStatusCode.OK; pages++)
        {
            var html = await response.Content.ReadAsStringAsync();
            response = html.Contains("name=\"password\"", StringComparison.Ordinal)
                ? await SignInAsync(html, username, password)
                : html.Contains("name=\"decision\"", StringComparison.Ordinal)
                    ? await ConsentAsync(html, allow)
                    : response;
            response = await FollowAsync(response);
        }

        return response;
    }

    /// <summary>The authorization response's parameters (query of the Location header).</summary>
    public static Dictionary<string, string> ResponseParameters(HttpResponseMessage response)
    {
        Assert.True(IsRedirect(response), $"Expected a redirect, got {(int)response.StatusCode}.");
        var location = response.Headers.Location!.OriginalString;
        var query = location.Contains('?', StringComparison.Ordinal) ? location[location.IndexOf('?', StringComparison.Ordinal)..] : "";
        return QueryHelpers.ParseQuery(query).ToDictionary(p => p.Key, p => p.Value.ToString());
    }

    /// <summary>Runs the flow and returns the code, asserting the redirect went to <paramref name="redirectUri"/> with state and iss.</summary>
    public async Task<string> CodeAsync(string clientId, string redirectUri, string scope, PkcePair pkce, string? nonce = "n-1",
        string username = SignInClients.AliceUsername, string password = SignInClients.AlicePassword)
    {
        var response = await AuthorizeAsync(AuthorizeUrl(clientId, redirectUri, scope, pkce, nonce: nonce), username, password);
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"Expected 303 to the client, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.StartsWith(redirectUri, response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var parameters = ResponseParameters(response);
        Assert.Equal(TestClients.Issuer, parameters["iss"]);
        return parameters["code"];
    }

    /// <summary>
    /// The page's hidden fields by name. A page with several forms (a sign-in page with provider buttons) repeats the
    /// anti-forgery token with one value; a name repeated with different values is ambiguous and throws.
    /// </summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html)
            .GroupBy(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value))
            .ToDictionary(g => g.Key, g => g.Distinct(StringComparer.Ordinal).Count() == 1
                ? g.First()
                : throw new ArgumentException($"The page's forms give the hidden field {g.Key} different values."));

    public static bool IsRedirect(HttpResponseMessage response) => (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is not null;

    private static bool IsLocal(string url) => url.StartsWith('/') || url.StartsWith(TestClients.Issuer + "/", StringComparison.Ordinal);

    private static string Local(string url) => url.StartsWith(TestClients.Issuer, StringComparison.Ordinal) ? url[TestClients.Issuer.Length..] : url;

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<meta http-equiv=\"refresh\" content=\"0;url=([^\"]*)\">")]
    private static partial Regex RefreshPragma();
}

/// <summary>Token requests of the code flow.</summary>
public static class CodeFlowTokens
{
    public static Task<HttpResponseMessage> RedeemAsync(HttpClient client, string clientId, string? secret, string code, string? verifier, string? redirectUri,
        string? dpopProof = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code };
        if (verifier is not null)
        {
            form["code_verifier"] = verifier;
        }

        if (redirectUri is not null)
        {
            form["redirect_uri"] = redirectUri;
        }

        return PostAsync(client, clientId, secret, form, dpopProof);
    }

    public static Task<HttpResponseMessage> RefreshAsync(HttpClient client, string clientId, string? secret, string refreshToken, string? scope = null,
        string? dpopProof = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return PostAsync(client, clientId, secret, form, dpopProof);
    }

    /// <summary>Confidential clients authenticate with Basic; public ones send client_id in the body. A DPoP proof goes in the DPoP header (RFC 9449 §4.1).</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string clientId, string? secret, Dictionary<string, string> form, string? dpopProof = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token");
        if (dpopProof is not null)
        {
            request.Headers.Add("DPoP", dpopProof);
        }

        if (secret is null)
        {
            form["client_id"] = clientId;
        }
        else
        {
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        }

        request.Content = new FormUrlEncodedContent(form);
        return client.SendAsync(request);
    }
}
