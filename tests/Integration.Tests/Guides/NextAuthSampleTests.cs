using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/nextjs-authjs.md: samples/NextAuth's Auth.js configuration served by its server.mjs (the Next.js app's
/// code without Next.js, whose build is too slow for these machines) as its own process, signing a person in at
/// AuthService (its own process on PostgreSQL) as a confidential client, then out again with RP-initiated logout.
/// </summary>
public sealed class NextAuthSampleFixture : GuideServer
{
    public const string ClientId = "nextauth-sample";
    public const string ClientSecret = "nextauth-sample-secret-0123456789";
    public const string Name = "Gina Guide";

    private readonly int _port = ServerProcess.FreePort();

    public ServerProcess Sample { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:PORT</c>: the sample app.</summary>
    public string AppBase => $"http://127.0.0.1:{_port}";

    protected override async Task StartSamplesAsync()
    {
        Sample = Own(ServerProcess.StartProgram("node", SampleDirectory.Require("NextAuth", "@auth/core", "next"),
            ["server.mjs", "--port", _port.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>
            {
                ["AUTHSERVICE_ISSUER"] = Issuer,
                ["AUTHSERVICE_CLIENT_ID"] = ClientId,
                ["AUTHSERVICE_CLIENT_SECRET"] = ClientSecret,
                ["AUTH_SECRET"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            }));
        await Sample.WaitUntilReadyAsync(new Uri(AppBase), TimeSpan.FromSeconds(30), probe: "/healthz");
    }

    protected override JsonObject Seed()
    {
        var client = TestClients.Client(ClientId, ClientSecret, "client_secret_basic", ["authorization_code"], "openid profile email",
            redirectUris: [$"{AppBase}/api/auth/callback/authservice"]);
        client["client_name"] = "Next.js sample";
        client["post_logout_redirect_uris"] = new JsonArray($"{AppBase}/signed-out");
        return new JsonObject { ["clients"] = new JsonArray(client) };
    }
}

/// <summary>
/// Auth.js signs the person in with the code flow and PKCE (OAuth 2.1 §4.1) and shows who they are; signing out ends the
/// session at AuthService too (OpenID Connect RP-Initiated Logout 1.0 §2): signing in again asks for the password again.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class NextAuthSampleTests(NextAuthSampleFixture sample) : IClassFixture<NextAuthSampleFixture>
{
    [Fact]
    public async Task A_person_signs_in_through_Auth_js_sees_who_they_are_and_signs_out_of_both()
    {
        await using var chromium = await ChromiumSession.LaunchAsync();
        var browser = new GuideBrowser(chromium, sample.Process, sample.Sample);
        var home = sample.AppBase + "/";

        await SignInFromTheAppAsync(browser);
        await browser.SignInAsync(sample.Issuer, GuideServer.Username, GuideServer.Password, url => url == home);

        await browser.StepAsync("the signed-in page", () => browser.Page.Locator("#sub").WaitForAsync());
        var sub = (await browser.Page.Locator("#sub").InnerTextAsync()).Trim();
        Assert.True(Guid.TryParse(sub, out _) || sub.Length > 8, $"The page shows no subject identifier: '{sub}'{browser.Diagnostics()}");
        Assert.NotEqual(GuideServer.Username, sub); // sub is AuthService's stable id, not the username
        Assert.Equal(NextAuthSampleFixture.Name, (await browser.Page.Locator("#name").InnerTextAsync()).Trim());
        Assert.Equal("gina@example.com", (await browser.Page.Locator("#email").InnerTextAsync()).Trim());
        Assert.Equal(GuideServer.Username, (await browser.Page.Locator("#username").InnerTextAsync()).Trim());
        var session = await AppSessionAsync(chromium);
        Assert.Equal(NextAuthSampleFixture.Name, session?["user"]?["name"]?.GetValue<string>());

        // RP-initiated logout: through AuthService's end_session_endpoint (id_token_hint: no confirmation page) back to the app.
        var seenBefore = chromium.Navigations.Count;
        await browser.StepAsync("signing out", () => browser.Page.ClickAsync("#sign-out"));
        await browser.StepAsync("back at the signed-out page", () => browser.Page.WaitForUrlAsync(url => url == sample.AppBase + "/signed-out"));
        Assert.True(chromium.Navigations.Skip(seenBefore).Any(n => n.Contains(sample.Issuer + "/connect/endsession?", StringComparison.Ordinal)),
            $"Signing out did not pass through AuthService's end_session_endpoint.{browser.Diagnostics()}");
        Assert.DoesNotContain(await chromium.Context.CookiesAsync([sample.AppBase]), c => c.Name.StartsWith("authjs.session-token", StringComparison.Ordinal));

        // The app's session is gone...
        await browser.StepAsync("the home page", () => browser.Page.GotoAsync(home));
        Assert.Equal("Not signed in", (await browser.Page.Locator("h1").InnerTextAsync()).Trim());

        // ...and AuthService's: signing in again shows its sign-in page, not a straight redirect back.
        await SignInFromTheAppAsync(browser);
        await browser.StepAsync("AuthService's sign-in page again", () => browser.Page.Locator("#password").WaitForAsync());
        Assert.StartsWith(sample.Issuer + "/", browser.Page.Url, StringComparison.Ordinal);
    }

    /// <summary>From the app's home page: its sign-in link, then Auth.js's sign-in page and its AuthService button (a form post with Auth.js's CSRF token).</summary>
    private async Task SignInFromTheAppAsync(GuideBrowser browser)
    {
        await browser.StepAsync("the home page", () => browser.Page.GotoAsync(sample.AppBase + "/"));
        Assert.Equal("Not signed in", (await browser.Page.Locator("h1").InnerTextAsync()).Trim());
        await browser.StepAsync("the app's sign-in link", () => browser.Page.ClickAsync("#sign-in"));
        await browser.StepAsync("Auth.js's sign-in button", () =>
            browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in with AuthService" }).ClickAsync());
    }

    /// <summary>Auth.js's own session endpoint, read with the browser's cookies.</summary>
    private async Task<JsonNode?> AppSessionAsync(ChromiumSession chromium)
    {
        var response = await chromium.Context.APIRequest.GetAsync(sample.AppBase + "/api/auth/session");
        return JsonNode.Parse(await response.TextAsync());
    }
}
