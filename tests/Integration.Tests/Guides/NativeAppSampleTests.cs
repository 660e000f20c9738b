using System.Net;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.Guides;

/// <summary>docs/guides/native-apps.md: a public client registered with the port-less loopback redirect URI.</summary>
public sealed class NativeAppServer : GuideServer
{
    public const string ClientId = "guide-native";
    public const string RegisteredRedirect = "http://127.0.0.1/callback";

    protected override JsonObject Seed() => new()
    {
        ["clients"] = new JsonArray(TestClients.Client(ClientId, null, "none", ["authorization_code", "refresh_token"],
            "openid profile offline_access", redirectUris: [RegisteredRedirect])),
    };
}

/// <summary>
/// samples/NativeApp run as its own process against the real server: it listens on 127.0.0.1 on a port the system
/// picks, prints the authorization URL, and this test is the person at the system browser (sign-in and consent pages over
/// HTTP, then the redirect to the app's loopback listener). The app redeems the code with its PKCE verifier, checks the ID
/// token, and refreshes once.
/// </summary>
public sealed class NativeAppSampleTests(NativeAppServer server) : IClassFixture<NativeAppServer>
{
    [Fact]
    public async Task The_app_receives_the_code_on_an_ephemeral_loopback_port_with_its_state_redeems_it_and_refreshes()
    {
        await using var app = server.StartSample("NativeApp", ["--client-id", NativeAppServer.ClientId, "--no-browser", "--timeout", "120"]);
        var authorizeUrl = await app.WaitForLineAsync("AUTHORIZE ");
        var request = QueryHelpers.ParseQuery(new Uri(authorizeUrl).Query);

        // RFC 8252 §7.3: the request names the app's listener, http://127.0.0.1:{port}/callback, a port the registration
        // does not name; §8.1 PKCE S256, and a state to match.
        var redirectUri = new Uri(request["redirect_uri"]!);
        Assert.Equal("http", redirectUri.Scheme);
        Assert.Equal("127.0.0.1", redirectUri.Host);
        Assert.Equal("/callback", redirectUri.AbsolutePath);
        Assert.NotEqual(80, redirectUri.Port);
        Assert.Equal("S256", request["code_challenge_method"]);
        Assert.Equal(43, request["code_challenge"].ToString().Length);
        var state = request["state"].ToString();
        Assert.False(string.IsNullOrEmpty(state));

        // A request to the listener that is not this sign-in's (a web page posting to the loopback port) is refused and
        // the app keeps waiting (RFC 6749 §10.12).
        using var loopback = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var forged = await loopback.GetAsync(new Uri($"{redirectUri}?code=forged-code&state=not-the-state"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // The person signs in and allows; the server redirects the browser to the app's port with the code and the state.
        using var browser = server.NewBrowser();
        using var response = await server.AuthorizeAsync(browser, authorizeUrl, GuideServer.Username, GuideServer.Password);
        Assert.True(Browser.IsRedirect(response), $"Expected the redirect to the app, got {(int)response.StatusCode}. App output:\n{app.Output}");
        var callback = response.Headers.Location!;
        Assert.Equal(redirectUri.GetLeftPart(UriPartial.Path), callback.GetLeftPart(UriPartial.Path));
        var parameters = Browser.ResponseParameters(response);
        Assert.Equal(state, parameters["state"]);
        Assert.Equal(server.Issuer, parameters["iss"]); // RFC 9207

        // The browser follows it to the app, which answers the page and goes on.
        using var landed = await loopback.GetAsync(callback);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Contains("You can close this window", await landed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var summary = await app.SummaryAsync();
        Assert.Equal(redirectUri.ToString(), summary.GetProperty("redirect_uri").GetString());
        Assert.Equal(await server.UserIdAsync(), summary.GetProperty("sub").GetString());
        Assert.Equal(NativeAppServer.ClientId, summary.GetProperty("aud").GetString());
        Assert.Equal(["offline_access", "openid", "profile"], summary.GetProperty("scope").GetString()!.Split(' ').Order());
        Assert.True(summary.GetProperty("refresh_token_rotated").GetBoolean(), app.Output);
        Assert.Equal(summary.GetProperty("scope").GetString(), summary.GetProperty("refreshed_scope").GetString());
        Assert.Contains("Refused a callback whose state does not match.", app.Output, StringComparison.Ordinal);
    }

    // The same listener, but the person denies: the app gets error=access_denied with its state and stops with an error.
    [Fact]
    public async Task A_denial_reaches_the_app_as_access_denied_and_it_stops()
    {
        await using var app = server.StartSample("NativeApp", ["--client-id", NativeAppServer.ClientId, "--no-browser", "--timeout", "120"]);
        var authorizeUrl = await app.WaitForLineAsync("AUTHORIZE ");

        using var browser = server.NewBrowser();
        using var response = await server.AuthorizeAsync(browser, authorizeUrl, GuideServer.OtherUsername, GuideServer.OtherPassword, allow: false);
        Assert.Equal("access_denied", Browser.ResponseParameters(response)["error"]);
        using var loopback = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var landed = await loopback.GetAsync(response.Headers.Location!);
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);

        Assert.NotEqual(0, await app.WaitForExitAsync());
        Assert.Contains("access_denied", app.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SUMMARY", app.Output, StringComparison.Ordinal);
    }
}
