using System.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// OpenID Connect Front-Channel Logout 1.0 in a real browser: alice signs in to FA and FB in one session, FA asks to
/// log her out; the logout page frames both relying parties' <c>frontchannel_logout_uri</c> (FA's with <c>iss</c> and
/// <c>sid</c>, §2), Chromium requests both (each listener records it), the page's CSP allows exactly those two origins
/// as frames, and the browser then goes on to FA's post_logout_redirect_uri with its state.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumFrontchannelLogoutTests(FrontchannelLogoutServer server, ITestOutputHelper log) : IClassFixture<FrontchannelLogoutServer>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Logout_frames_each_relying_party_of_the_session_and_then_returns_to_the_client()
    {
        await using var chromium = await ChromiumSession.LaunchAsync();
        var page = chromium.Page;

        // Sign in to FA (no consent asked), then FB in the same browser session: straight to its callback.
        var pkceA = BrowserFlowServer.NewPkce();
        await page.GotoAsync(server.AuthorizeUrl("openid", "sa", "na", pkceA.Challenge, FrontchannelLogoutServer.FA));
        await page.FillAsync("#username", BrowserFlowServer.Username);
        await page.FillAsync("#password", BrowserFlowServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(server.Callback.RedirectUri + "?**");
        var codeA = QueryOf(page.Url)["code"];
        await page.GotoAsync(server.AuthorizeUrl("openid", "sb", "nb", BrowserFlowServer.NewPkce().Challenge, FrontchannelLogoutServer.FB));
        Assert.StartsWith(server.Callback.RedirectUri + "?", page.Url, StringComparison.Ordinal);
        Step("signed in to FA and FB");

        var (status, body, raw) = await server.RedeemAsync(codeA, pkceA.Verifier, FrontchannelLogoutServer.FA, FrontchannelLogoutServer.Secret);
        Assert.True(status == 200, raw);
        var idToken = body.GetProperty("id_token").GetString()!;
        var sid = BrowserFlowServer.JwtPayload(idToken).GetProperty("sid").GetString();
        Assert.False(string.IsNullOrEmpty(sid), "The ID token carries no sid (Front-Channel Logout 1.0 §3).");

        var logoutPage = page.WaitForResponseAsync(r => r.Url.StartsWith(server.Issuer + "/connect/endsession", StringComparison.Ordinal));
        await page.GotoAsync(server.Issuer + "/connect/endsession?id_token_hint=" + Uri.EscapeDataString(idToken)
            + "&post_logout_redirect_uri=" + Uri.EscapeDataString(server.PostLogoutRedirectUri) + "&state=bye1");
        var response = await logoutPage;
        Assert.Equal(200, response.Status);

        // Once both frames loaded, the page goes on to the client's post-logout redirect URI with its state.
        await page.WaitForURLAsync(server.PostLogoutRedirectUri + "?**");
        Assert.Equal("bye1", QueryOf(page.Url)["state"]);
        Step("back at the client");

        // The browser really asked both relying parties: FA with iss and sid (session required), FB as registered.
        var a = Assert.Single(server.RpA.Requests);
        Assert.Equal("/frontchannel-logout", a.AbsolutePath);
        var queryA = QueryOf(a.ToString());
        Assert.Equal(server.Issuer, queryA["iss"]);
        Assert.Equal(sid, queryA["sid"]);
        var b = Assert.Single(server.RpB.Requests);
        Assert.Equal("/frontchannel-logout", b.AbsolutePath);
        Assert.Equal(new Dictionary<string, string> { ["rp"] = "b" }, QueryOf(b.ToString()));

        // The CSP lets exactly those two origins be framed; the rest stays as strict as every page's.
        var csp = (await response.AllHeadersAsync())["content-security-policy"];
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ').Skip(1).ToHashSet());
        Assert.Equal(new HashSet<string> { $"http://127.0.0.1:{server.RpA.Port}", $"http://127.0.0.1:{server.RpB.Port}" }, directives["frame-src"]);
        Assert.Equal(["'none'"], directives["default-src"]);
        Assert.Equal(["'none'"], directives["frame-ancestors"]);
        Assert.Equal(["'none'"], directives["form-action"]);
        Assert.Single(directives["script-src"], s => s.StartsWith("'nonce-", StringComparison.Ordinal));
        Assert.True(chromium.ConsoleErrors.Count == 0, "Console errors (a CSP violation?):\n" + string.Join("\n", chromium.ConsoleErrors));

        // The session is over: a new authorization asks to sign in again.
        await page.GotoAsync(server.AuthorizeUrl("openid", "sc", "nc", BrowserFlowServer.NewPkce().Challenge, FrontchannelLogoutServer.FA));
        Assert.Equal(1, await page.Locator("input[type=password]").CountAsync());
    }

    private static Dictionary<string, string> QueryOf(string url) =>
        QueryHelpers.ParseQuery(new Uri(url).Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    private void Step(string what) => log.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F2} s  {what}");
}
