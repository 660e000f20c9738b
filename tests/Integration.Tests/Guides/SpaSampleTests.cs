using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/spa.md: samples/Spa (oidc-client-ts in the browser, a public client) served by its static server as its own
/// process, and AuthService as another on PostgreSQL with a seed registering the app and a user.
/// </summary>
public sealed class SpaSampleFixture : GuideServer
{
    public const string ClientId = "spa-sample";
    public const string Name = "Gina Guide";

    private readonly int _port = ServerProcess.FreePort();

    public ServerProcess Sample { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:PORT</c>: the app's origin.</summary>
    public string AppBase => $"http://127.0.0.1:{_port}";

    protected override async Task StartSamplesAsync()
    {
        Sample = Own(ServerProcess.StartProgram("node", SampleDirectory.Require("Spa", "oidc-client-ts"),
            ["server.mjs", "--issuer", Issuer, "--client-id", ClientId, "--port", _port.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>()));
        await Sample.WaitUntilReadyAsync(new Uri(AppBase), TimeSpan.FromSeconds(30), probe: "/config.json");
    }

    protected override JsonObject Seed()
    {
        var client = TestClients.Client(ClientId, null, "none", ["authorization_code", "refresh_token"], "openid profile offline_access",
            redirectUris: [$"{AppBase}/callback.html"]);
        client["client_name"] = "Single-page app sample";
        client["post_logout_redirect_uris"] = new JsonArray($"{AppBase}/");
        return new JsonObject { ["clients"] = new JsonArray(client) };
    }
}

/// <summary>
/// The app signs in from the browser with the code flow and PKCE (OAuth 2.1 §4.1), renews its tokens with the refresh
/// token (rotated: a new access and refresh token, RFC 9700 §4.14.2), calls UserInfo (OIDC Core §5.3) across origins, and
/// signs out with RP-initiated logout, after which its last refresh token is refused.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class SpaSampleTests(SpaSampleFixture sample) : IClassFixture<SpaSampleFixture>
{
    [Fact]
    public async Task The_app_signs_in_renews_by_refresh_token_calls_UserInfo_and_signs_out()
    {
        await using var chromium = await ChromiumSession.LaunchAsync();
        var browser = new GuideBrowser(chromium, sample.Process, sample.Sample);
        var page = browser.Page;
        var home = sample.AppBase + "/";

        await browser.StepAsync("the app", () => page.GotoAsync(home));
        await browser.StepAsync("the sign-in button", () => page.Locator("#sign-in:visible").WaitForAsync());
        await browser.StepAsync("signing in", () => page.ClickAsync("#sign-in"));
        await browser.SignInAsync(sample.Issuer, GuideServer.Username, GuideServer.Password, url => url == home);
        await browser.StepAsync("the signed-in app", () => page.Locator("#user:visible").WaitForAsync());

        Assert.Equal("Signed in", await page.Locator("#status").InnerTextAsync());
        var sub = (await page.Locator("#sub").InnerTextAsync()).Trim();
        Assert.False(string.IsNullOrEmpty(sub) || sub == GuideServer.Username, $"The page shows no subject identifier: '{sub}'{browser.Diagnostics()}");
        Assert.Equal(SpaSampleFixture.Name, (await page.Locator("#name").InnerTextAsync()).Trim());
        var (accessBefore, refreshBefore) = await StoredTokensAsync(browser);
        Assert.False(string.IsNullOrEmpty(refreshBefore), $"No refresh token was issued.{browser.Diagnostics()}");
        var fingerprintBefore = await page.Locator("#access-token").InnerTextAsync();

        // Renewal by refresh token: both tokens are new (the refresh token rotated).
        await browser.StepAsync("renewing", () => page.ClickAsync("#renew"));
        await browser.StepAsync("the renewed token shown", () => page.WaitForFunctionAsync(
            "before => document.getElementById('access-token').textContent !== before || document.getElementById('error').textContent !== ''", fingerprintBefore));
        Assert.Equal(string.Empty, await page.Locator("#error").InnerTextAsync());
        var (accessAfter, refreshAfter) = await StoredTokensAsync(browser);
        Assert.NotEqual(accessBefore, accessAfter);
        Assert.False(string.IsNullOrEmpty(refreshAfter) || refreshAfter == refreshBefore, $"The refresh token did not rotate.{browser.Diagnostics()}");

        // UserInfo from the browser, across origins, with the renewed access token.
        await browser.StepAsync("calling UserInfo", () => page.ClickAsync("#userinfo"));
        await browser.StepAsync("the UserInfo answer", () => page.WaitForFunctionAsync(
            "() => document.getElementById('userinfo-result').textContent !== '' || document.getElementById('error').textContent !== ''"));
        Assert.Equal(string.Empty, await page.Locator("#error").InnerTextAsync());
        var userInfo = JsonDocument.Parse(await page.Locator("#userinfo-result").InnerTextAsync()).RootElement;
        Assert.Equal(sub, userInfo.GetProperty("sub").GetString());
        Assert.Equal(SpaSampleFixture.Name, userInfo.GetProperty("name").GetString());

        // RP-initiated logout: through the end_session_endpoint back to the app, signed out.
        var seenBefore = chromium.Navigations.Count;
        await browser.StepAsync("signing out", () => page.ClickAsync("#sign-out"));
        await browser.StepAsync("back at the app", () => page.WaitForUrlAsync(url => url == home && chromium.Navigations.Count > seenBefore + 1));
        await browser.StepAsync("the signed-out app", () => page.Locator("#sign-in:visible").WaitForAsync());
        Assert.Equal("Not signed in", await page.Locator("#status").InnerTextAsync());
        Assert.Contains(chromium.Navigations.Skip(seenBefore), n => n.Contains(sample.Issuer + "/connect/endsession?", StringComparison.Ordinal));

        // The session's refresh tokens were revoked with it (docs/adr/0012 "Logout").
        var (status, body) = await RefreshAsync(refreshAfter!);
        Assert.True(status == HttpStatusCode.BadRequest && body.Contains("\"invalid_grant\"", StringComparison.Ordinal),
            $"The last refresh token after logout: {(int)status} {body}");

        // The pages' and the app's Content-Security-Policy blocked nothing the flow needed.
        Assert.True(chromium.ConsoleErrors.Count == 0, "The browser console has errors:\n" + string.Join("\n", chromium.ConsoleErrors) + browser.Diagnostics());
    }

    /// <summary>The access and refresh token oidc-client-ts keeps in sessionStorage (key <c>oidc.user:&lt;authority&gt;:&lt;client_id&gt;</c>).</summary>
    private async Task<(string? Access, string? Refresh)> StoredTokensAsync(GuideBrowser browser)
    {
        var stored = await browser.Page.EvaluateAsync<string?>($"() => sessionStorage.getItem('oidc.user:{sample.Issuer}:{SpaSampleFixture.ClientId}')");
        Assert.True(stored is not null, $"oidc-client-ts stored no user.{browser.Diagnostics()}");
        var user = JsonNode.Parse(stored)!;
        return (user["access_token"]?.GetValue<string>(), user["refresh_token"]?.GetValue<string>());
    }

    private async Task<(HttpStatusCode Status, string Body)> RefreshAsync(string refreshToken)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri($"{sample.Issuer}/connect/token"), new FormUrlEncodedContent(
            [new("grant_type", "refresh_token"), new("refresh_token", refreshToken), new("client_id", SpaSampleFixture.ClientId)]));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
