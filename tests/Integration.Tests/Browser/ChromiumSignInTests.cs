using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// The sign-in and consent pages in a real browser: Debian's Chromium, driven by Playwright, against the
/// built server in its own process on a loopback port. What the HTTP-level tests cannot see is checked
/// here: the pages' Content-Security-Policy as a browser enforces it (form-action on the form posts and on
/// the 303 redirects that follow them), cookies as a browser keeps them (SameSite=Lax, no Secure flag on
/// an http issuer), and the whole flow ending at the client's redirect URI.
/// (The namespace is not <c>...Tests.Browser</c>: that would hide the <c>Infrastructure.Browser</c> class
/// from every test namespace under <c>AuthService.Integration.Tests</c>.)
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumSignInTests(BrowserFlowServer server, ITestOutputHelper log) : IClassFixture<BrowserFlowServer>
{
    private const string Scope = "openid profile offline_access";

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    // OAuth 2.1 §4.1 (code flow with PKCE), RFC 9207 (iss in the response), OIDC Core §3.1.2.1 (nonce);
    // RFC 9700 §4.16 (the pages' CSP blocks nothing the flow needs: a violation shows in the console).
    [Fact]
    public async Task Alice_signs_in_and_consents_in_Chromium_and_the_client_redeems_the_code()
    {
        await using var chromium = await ChromiumSession.LaunchAsync();
        Step("chromium started");
        var (verifier, challenge) = BrowserFlowServer.NewPkce();

        var callback = await SignInAndAllowAsync(chromium, BrowserFlowServer.Username, BrowserFlowServer.Password, "s1", "n1", challenge,
            screenshot: ScreenshotPath("sign-in.png"));

        Assert.False(callback.ContainsKey("error"), $"The callback carries an error: {string.Join("&", callback)}");
        Assert.Equal("s1", callback.GetValueOrDefault("state"));
        Assert.Equal(server.Issuer, callback.GetValueOrDefault("iss"));
        var code = callback.GetValueOrDefault("code");
        Assert.False(string.IsNullOrEmpty(code), "The callback carries no code.");

        var (status, body, raw) = await server.RedeemAsync(code, verifier);
        Assert.True(status == 200, $"The token endpoint answered {status}: {raw}");
        foreach (var name in new[] { "access_token", "id_token", "refresh_token" })
        {
            Assert.True(body.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 }, $"The token response has no {name}: {raw}");
        }

        var idToken = BrowserFlowServer.JwtPayload(body.GetProperty("id_token").GetString()!);
        Assert.Equal(server.Issuer, idToken.GetProperty("iss").GetString());
        Assert.Equal("n1", idToken.GetProperty("nonce").GetString());
        Assert.Equal(BrowserFlowServer.ClientId, idToken.GetProperty("aud").ValueKind == JsonValueKind.Array
            ? idToken.GetProperty("aud")[0].GetString()
            : idToken.GetProperty("aud").GetString());
        Step("code redeemed");

        // The browser kept the session cookie as an http issuer sets it: no __Host- prefix, not Secure, HttpOnly, SameSite=Lax.
        var cookies = await chromium.Context.CookiesAsync([server.Issuer]);
        var session = cookies.SingleOrDefault(c => c.Name == "authservice-session");
        Assert.True(session is not null, $"Chromium holds no authservice-session cookie for {server.Issuer}; it has: {string.Join(", ", cookies.Select(c => c.Name))}");
        Assert.True(session.HttpOnly && !session.Secure && session.SameSite == SameSiteAttribute.Lax && session.Path == "/",
            $"Session cookie attributes: HttpOnly={session.HttpOnly} Secure={session.Secure} SameSite={session.SameSite} Path={session.Path}");

        Assert.True(chromium.ConsoleErrors.Count == 0, "The browser console has errors (a CSP violation blocks a form post or its redirect):\n"
            + string.Join("\n", chromium.ConsoleErrors) + Diagnostics(chromium));
    }

    // OIDC Core §3.1.2.3 (an existing session: no second sign-in) and the remembered consent: the second
    // authorization in the same browser answers at once with a redirect to the client.
    [Fact]
    public async Task A_second_authorization_in_the_same_browser_goes_straight_to_the_client()
    {
        await using var chromium = await ChromiumSession.LaunchAsync();
        Step("chromium started");
        var first = BrowserFlowServer.NewPkce();
        // Bob, not alice: the other test's consent (kept by the server for alice and BR) must not decide whether this one sees a consent page.
        var firstCallback = await SignInAndAllowAsync(chromium, BrowserFlowServer.OtherUsername, BrowserFlowServer.OtherPassword, "s1", "n1", first.Challenge, screenshot: null);
        Assert.False(string.IsNullOrEmpty(firstCallback.GetValueOrDefault("code")), "The first authorization returned no code.");

        var second = BrowserFlowServer.NewPkce();
        var page = chromium.Page;
        var seenBefore = chromium.Navigations.Count;
        var response = await Bounded(chromium, "the second authorization", () => page.GotoAsync(server.AuthorizeUrl(Scope, "s2", "n2", second.Challenge)));
        Step("second authorization done");

        var pagesShown = chromium.Navigations.Skip(seenBefore).ToList();
        Assert.True(response is not null && response.Url.StartsWith(server.Callback.RedirectUri + "?", StringComparison.Ordinal),
            $"The second authorization did not end at the client's callback (a sign-in or consent page was shown again?)."
            + $"\nNavigations: {string.Join("\n  ", pagesShown)}{Diagnostics(chromium)}");

        // Exactly one hop: authorization endpoint -> (302/303) -> callback. No page of the server in between.
        var redirectedFrom = response!.Request.RedirectedFrom;
        Assert.True(redirectedFrom is not null && redirectedFrom.Url.StartsWith(server.Issuer + "/connect/authorize?", StringComparison.Ordinal)
            && redirectedFrom.RedirectedFrom is null,
            $"Expected one redirect from the authorization endpoint straight to the callback; navigations:\n  {string.Join("\n  ", pagesShown)}");

        var callback = QueryOf(response.Url);
        Assert.False(callback.ContainsKey("error"), $"The callback carries an error: {string.Join("&", callback)}");
        Assert.Equal("s2", callback.GetValueOrDefault("state"));
        Assert.Equal(server.Issuer, callback.GetValueOrDefault("iss"));

        var (status, body, raw) = await server.RedeemAsync(callback.GetValueOrDefault("code")!, second.Verifier);
        Assert.True(status == 200, $"The token endpoint answered {status} for the second code: {raw}");
        Assert.Equal("n2", BrowserFlowServer.JwtPayload(body.GetProperty("id_token").GetString()!).GetProperty("nonce").GetString());
        Assert.True(chromium.ConsoleErrors.Count == 0, "The browser console has errors:\n" + string.Join("\n", chromium.ConsoleErrors) + Diagnostics(chromium));
        Step("second code redeemed");
    }

    /// <summary>
    /// Authorize as BR, see the sign-in page, sign in, see the consent page, allow: returns the
    /// query of the callback URL the browser ends at (which the callback listener must have received too).
    /// </summary>
    private async Task<Dictionary<string, string>> SignInAndAllowAsync(
        ChromiumSession chromium, string username, string password, string state, string nonce, string codeChallenge, string? screenshot)
    {
        var page = chromium.Page;
        var signIn = await Bounded(chromium, "opening the authorization URL", () => page.GotoAsync(server.AuthorizeUrl(Scope, state, nonce, codeChallenge)));
        Assert.True(signIn is not null && signIn.Status == 200, $"The authorization endpoint answered {signIn?.Status}.{Diagnostics(chromium)}");

        // The sign-in page.
        Assert.StartsWith("Sign in", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal("Sign in", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal(1, await page.Locator("input[type=password]").CountAsync());
        if (screenshot is not null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            log.WriteLine($"screenshot of the sign-in page: {screenshot}");
        }

        Step("sign-in page shown");

        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await Bounded(chromium, "signing in", () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync());

        // The consent page (the form post's response, or where its redirect leads).
        await Bounded(chromium, "waiting for the consent page", () => page.Locator("h1", new() { HasText = "Allow access?" }).WaitForAsync());
        Assert.StartsWith("Allow access?", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("main li").CountAsync()); // openid, profile, offline_access
        Step("consent page shown");

        await Bounded(chromium, "allowing", () => page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync());
        var callbackPrefix = server.Callback.RedirectUri + "?";
        await Bounded(chromium, "waiting for the redirect to the client's callback", () =>
            // Only the URL matters (the code is in it): wait for the navigation to commit, not for any load event.
            page.WaitForUrlAsync(url => url.StartsWith(callbackPrefix, StringComparison.Ordinal)));
        Step("at the callback");

        var url = page.Url;
        Assert.Contains(server.Callback.Requests, u => u.ToString() == url || u.AbsoluteUri == url);
        return QueryOf(url);
    }

    /// <summary>The query parameters of a URL (a repeated one comma-joined).</summary>
    private static Dictionary<string, string> QueryOf(string url) =>
        QueryHelpers.ParseQuery(new Uri(url).Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    /// <summary>Runs a browser step; on a timeout or a Playwright error, fails with where the browser is and what it logged.</summary>
    private async Task<T> Bounded<T>(ChromiumSession chromium, string what, Func<Task<T>> step)
    {
        try
        {
            return await step().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            await FailureScreenshotAsync(chromium);
            Assert.Fail($"Browser step '{what}' failed: {ex.Message}{Diagnostics(chromium)}");
            throw; // not reached
        }
    }

    private Task Bounded(ChromiumSession chromium, string what, Func<Task> step) =>
        Bounded(chromium, what, async () =>
        {
            await step();
            return true;
        });

    private async Task FailureScreenshotAsync(ChromiumSession chromium)
    {
        try
        {
            var path = ScreenshotPath($"failure-{Guid.NewGuid():N}.png");
            await chromium.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 5_000 });
            log.WriteLine($"screenshot at the failure: {path}");
        }
        catch (PlaywrightException)
        {
            // A diagnostic only.
        }
    }

    /// <summary>Where the browser is, its navigations and console, and the end of the server's output.</summary>
    private string Diagnostics(ChromiumSession chromium)
    {
        var output = server.Process.Output;
        return $"\nBrowser at: {chromium.Page.Url}"
            + $"\nNavigations:\n  {string.Join("\n  ", chromium.Navigations)}"
            + $"\nConsole:\n  {string.Join("\n  ", chromium.ConsoleMessages)}"
            + $"\nServer output (last 4000 characters):\n{output[Math.Max(0, output.Length - 4000)..]}";
    }

    /// <summary>A file under .testrun/browser/ at the repository root (scripts/test.sh wipes .testrun at every run; not committed).</summary>
    private static string ScreenshotPath(string name)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AuthService.sln")))
        {
            root = root.Parent;
        }

        var directory = Path.Combine(root?.FullName ?? Path.GetTempPath(), ".testrun", "browser");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    private void Step(string what) => log.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F2} s  {what}");
}
