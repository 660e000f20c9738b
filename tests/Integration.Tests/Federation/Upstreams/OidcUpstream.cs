using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Interop;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.Federation.Upstreams;

/// <summary>An account of the upstream: its login name is its subject.</summary>
public sealed record UpstreamAccount(string Login, string Email, bool EmailVerified, string Name);

/// <summary>
/// A real upstream OpenID Provider for the federation tests: oidc-provider (npm, pinned in Interop/package.json) run by
/// Interop/upstream-oidc-provider.mjs on a free loopback port, issuer <c>http://127.0.0.1:PORT</c>. Two clients:
/// <see cref="ClientId"/> (this server) and <see cref="OtherClientId"/> ("another audience"), both with the given
/// redirect URIs, PKCE required, client_secret_basic. The accounts are <see cref="Ann"/> (verified address),
/// <see cref="Uma"/> (unverified address) and <see cref="Ned"/>; the ID token's <c>amr</c> is <c>["pwd"]</c>; e-mail and
/// name are only at UserInfo unless started with <c>claimsInIdToken</c>. The sign-in page is a plain form
/// (<c>#upstream-login</c>, <c>#upstream-password</c>, <c>#upstream-submit</c>; any password) and consent is automatic,
/// so Chromium or <see cref="SignInAsync"/> drive it alike. Disposing kills the process.
/// </summary>
public sealed partial class OidcUpstream : IAsyncDisposable
{
    public const string ClientId = "authservice-at-upstream";
    public const string ClientSecret = "upstream-secret-of-authservice-0123456789";
    public const string OtherClientId = "another-app-at-upstream";
    public const string OtherClientSecret = "upstream-secret-of-another-app-0123456789";
    public const string Password = "any-upstream-password";

    public static readonly UpstreamAccount Ann = new("ann", "ann@upstream.example", true, "Ann Upstream");
    public static readonly UpstreamAccount Uma = new("uma", "uma@upstream.example", false, "Uma Unverified");
    public static readonly UpstreamAccount Ned = new("ned", "ned@upstream.example", true, "Ned Upstream");

    public static readonly IReadOnlyList<string> Methods = ["pwd"];

    private OidcUpstream(ServerProcess process, string issuer, IReadOnlyList<string> redirectUris)
    {
        Process = process;
        Issuer = issuer;
        RedirectUris = redirectUris;
    }

    public ServerProcess Process { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>, exactly as in its discovery document.</summary>
    public string Issuer { get; }

    public IReadOnlyList<string> RedirectUris { get; }

    /// <summary>Starts the provider with <paramref name="redirectUris"/> registered for both clients and waits for its discovery document.</summary>
    public static async Task<OidcUpstream> StartAsync(IReadOnlyList<string> redirectUris, bool claimsInIdToken = false)
    {
        var port = ServerProcess.FreePort();
        var config = new
        {
            port,
            clients = new[]
            {
                new { client_id = ClientId, client_secret = ClientSecret, redirect_uris = redirectUris },
                new { client_id = OtherClientId, client_secret = OtherClientSecret, redirect_uris = redirectUris },
            },
            accounts = new[] { Ann, Uma, Ned }.ToDictionary(a => a.Login, a => new { email = a.Email, email_verified = a.EmailVerified, name = a.Name }),
            amr = Methods,
            claimsInIdToken,
        };
        var process = ServerProcess.StartProgram("node", NodeScript.UpstreamProviderDirectory,
            ["upstream-oidc-provider.mjs", JsonSerializer.Serialize(config)], new Dictionary<string, string>());
        var issuer = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        await process.WaitUntilReadyAsync(new Uri(issuer), TimeSpan.FromSeconds(30), probe: "/.well-known/openid-configuration");
        return new OidcUpstream(process, issuer, redirectUris);
    }

    /// <summary>
    /// Follows <paramref name="authorizationUrl"/> as a browser would (cookies kept, redirects followed by hand), signs in
    /// as <paramref name="login"/> on the upstream's form, and returns the parameters of the answer sent to
    /// <paramref name="redirectUri"/>: the redirect's query, or the fields of a form_post page. The redirect URI itself is
    /// never requested.
    /// </summary>
    public static async Task<Dictionary<string, string>> SignInAsync(Uri authorizationUrl, string login, Uri redirectUri, string password = Password)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var callback = redirectUri.GetLeftPart(UriPartial.Path);
        HttpRequestMessage request = new(HttpMethod.Get, authorizationUrl);
        for (var step = 0; step < 12; step++)
        {
            using var response = await http.SendAsync(request);
            request.Dispose();
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
                if (next.GetLeftPart(UriPartial.Path) == callback)
                {
                    return QueryHelpers.ParseQuery(next.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
                }

                request = new HttpRequestMessage(HttpMethod.Get, next);
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"The upstream answered {(int)response.StatusCode} at {request.RequestUri}: {body}");
            if (FormAction().Match(body) is { Success: true } form && WebUtility.HtmlDecode(form.Groups[1].Value) is var action
                && new Uri(request.RequestUri!, action) is var target && target.GetLeftPart(UriPartial.Path) == callback)
            {
                // response_mode=form_post (OAuth 2.0 Form Post Response Mode §2): the hidden fields are the answer.
                return HiddenInput().Matches(body).ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
            }

            Assert.True(body.Contains("upstream-login", StringComparison.Ordinal), $"Expected the upstream's sign-in form at {request.RequestUri}: {body}");
            var loginAction = new Uri(request.RequestUri!, WebUtility.HtmlDecode(FormAction().Match(body).Groups[1].Value));
            request = new HttpRequestMessage(HttpMethod.Post, loginAction)
            {
                Content = new FormUrlEncodedContent([new("login", login), new("password", password)]),
            };
        }

        Assert.Fail($"The upstream did not answer to {redirectUri} within 12 steps.");
        return [];
    }

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();

    [GeneratedRegex("<form[^>]*action=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]*)\"[^>]*value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
