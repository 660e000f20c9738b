using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.Logout;

/// <summary>
/// OpenID Connect Front-Channel Logout 1.0 through the real pipeline (the browser side is in
/// <c>ChromiumFrontchannelLogoutTests</c>): the signed-out page of RP-initiated logout frames exactly the clients of the
/// ended session that registered a <c>frontchannel_logout_uri</c>, with <c>iss</c> and <c>sid</c> when they asked (§2),
/// under a CSP whose <c>frame-src</c> is exactly their origins.
/// </summary>
public sealed partial class FrontchannelLogoutTests(BackchannelLogoutFixture server) : IClassFixture<BackchannelLogoutFixture>
{
    /// <summary>A browser signed in to <paramref name="clientIds"/> (and BL, without a front-channel URI) in one session: FC's tokens.</summary>
    private async Task<(Browser Browser, string IdToken, string Sid)> SignedInAsync(params string[] clientIds)
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid",
            BackchannelLogoutFixture.BL, BackchannelLogoutFixture.BLSecret, BackchannelLogoutFixture.BLRedirect);
        EndSessionTokens? first = null;
        foreach (var clientId in clientIds)
        {
            var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid",
                clientId, BackchannelLogoutFixture.FCSecret, BackchannelLogoutFixture.FCRedirect);
            first ??= tokens;
        }

        return (browser, first!.IdToken!, Jose.Payload(first.IdToken!)["sid"]!.GetValue<string>());
    }

    private static async Task<(string Html, Dictionary<string, string> Csp)> PageAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single()
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => string.Join(' ', d.Split(' ').Skip(1)));
        return (await response.Content.ReadAsStringAsync(), csp);
    }

    private static List<string> Frames(string html) =>
        [.. IframeSource().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value))];

    [Fact]
    public async Task Logout_frames_each_client_of_the_session_with_iss_and_sid_when_required_then_continues_to_the_client()
    {
        var (browser, idToken, sid) = await SignedInAsync(BackchannelLogoutFixture.FC, BackchannelLogoutFixture.FX);
        using var _ = browser;

        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", idToken),
            ("post_logout_redirect_uri", BackchannelLogoutFixture.FCPostLogout), ("state", "s&1")));
        var (html, csp) = await PageAsync(response);

        // §2: FC's registered query is kept and iss and sid appended; FX (not session_required) exactly as registered; BL not framed.
        var frames = Frames(html);
        Assert.Equal(2, frames.Count);
        var fc = new Uri(frames.Single(f => f.StartsWith("https://fc.example/logout?", StringComparison.Ordinal)));
        Assert.Equal(
            new Dictionary<string, string> { ["from"] = "op", ["iss"] = TestClients.Issuer, ["sid"] = sid },
            QueryHelpers.ParseQuery(fc.Query).ToDictionary(p => p.Key, p => p.Value.ToString()));
        Assert.Contains(BackchannelLogoutFixture.FXLogoutUri, frames);

        Assert.Equal("https://fc.example https://fx.example", csp["frame-src"]);
        Assert.Equal("'none'", csp["default-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        Assert.Equal("'none'", csp["form-action"]);
        Assert.Matches("^'nonce-[A-Za-z0-9+/=]+'$", csp["script-src"]);
        Assert.Contains("<script nonce=\"" + csp["script-src"][7..^1] + "\">", html, StringComparison.Ordinal);

        // The link the script follows (and a browser without JavaScript): the registered URI with the state.
        var link = WebUtility.HtmlDecode(ContinueLink().Match(html).Groups[1].Value);
        Assert.Equal(BackchannelLogoutFixture.FCPostLogout + "?state=s%261", link);

        // The session is over: the signed-out page was the only place the clients' URLs were shown.
        var again = await EndSessionFlows.PromptNoneAsync(browser);
        Assert.Equal("login_required", again["error"]);
    }

    [Fact]
    public async Task Without_a_post_logout_redirect_the_page_frames_the_clients_and_runs_no_script()
    {
        var (browser, idToken, _) = await SignedInAsync(BackchannelLogoutFixture.FC);
        using var __ = browser;

        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", idToken)));
        var (html, csp) = await PageAsync(response);

        Assert.Single(Frames(html));
        Assert.Equal("https://fc.example", csp["frame-src"]);
        Assert.False(csp.ContainsKey("script-src"), "No continuation, no script.");
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_without_front_channel_clients_redirects_at_once_and_a_second_logout_frames_nothing()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid",
            BackchannelLogoutFixture.FC, BackchannelLogoutFixture.FCSecret, BackchannelLogoutFixture.FCRedirect);
        var url = EndSessionFlows.EndSessionUrl(("id_token_hint", tokens.IdToken),
            ("post_logout_redirect_uri", BackchannelLogoutFixture.FCPostLogout));

        using var first = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // The session already ended: nothing to tell the clients, straight back (no page, no frames).
        using var second = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.SeeOther, second.StatusCode);
        Assert.Equal(BackchannelLogoutFixture.FCPostLogout, second.Headers.Location!.ToString());

        // A session that reached only BL (no frontchannel_logout_uri): the plain 303 as before.
        var (other, otherJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var ___ = other;
        var bl = await EndSessionFlows.SignInAsync(other, otherJar, server.Client, "openid",
            BackchannelLogoutFixture.BL, BackchannelLogoutFixture.BLSecret, BackchannelLogoutFixture.BLRedirect);
        using var plain = await other.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", bl.IdToken)));
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Empty(Frames(await plain.Content.ReadAsStringAsync()));
        Assert.False(plain.Headers.GetValues("Content-Security-Policy").Single().Contains("frame-src", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_client_disabled_after_sign_in_is_not_framed()
    {
        var (browser, idToken, _) = await SignedInAsync(BackchannelLogoutFixture.FC, BackchannelLogoutFixture.FX);
        using var _ = browser;
        using var admin = await server.AdminAsync();
        using (var disabled = await admin.PostAsync($"/admin/clients/{BackchannelLogoutFixture.FX}/disable", null))
        {
            Assert.True(disabled.IsSuccessStatusCode, await disabled.Content.ReadAsStringAsync());
        }

        try
        {
            using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", idToken)));
            var (html, csp) = await PageAsync(response);
            Assert.StartsWith("https://fc.example/logout?", Assert.Single(Frames(html)), StringComparison.Ordinal);
            Assert.Equal("https://fc.example", csp["frame-src"]);
        }
        finally
        {
            using var enabled = await admin.PostAsync($"/admin/clients/{BackchannelLogoutFixture.FX}/enable", null);
            Assert.True(enabled.IsSuccessStatusCode, await enabled.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Discovery_advertises_front_channel_logout_with_sessions()
    {
        var discovery = await server.Client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        Assert.True(discovery.GetProperty("frontchannel_logout_supported").GetBoolean());
        Assert.True(discovery.GetProperty("frontchannel_logout_session_supported").GetBoolean());
    }

    [GeneratedRegex("<iframe [^>]*src=\"([^\"]*)\"")]
    private static partial Regex IframeSource();

    [GeneratedRegex("<a id=\"continue\" href=\"([^\"]*)\"")]
    private static partial Regex ContinueLink();
}
