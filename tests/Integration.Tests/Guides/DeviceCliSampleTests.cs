using System.Net;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// docs/guides/device-flow-cli.md: a public client registered for the device grant; the server's polling interval at its
/// minimum (1 s) so the sample's polls come quickly.
/// </summary>
public sealed class DeviceCliServer : GuideServer
{
    public const string ClientId = "guide-cli";

    protected override JsonObject Seed() => new()
    {
        ["clients"] = new JsonArray(TestClients.Client(ClientId, null, "none", ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
            "openid profile offline_access")),
    };

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Auth__DeviceAuthorization__Interval"] = "00:00:01",
    };
}

/// <summary>
/// samples/DeviceCli run as its own process against the real server: it asks for a device code, prints the user code and
/// the complete verification URL, and polls; this test is the person on another device, signing in on the <c>/device</c>
/// page over HTTP and allowing or denying. The sample must wait (<c>authorization_pending</c>) until then, and end with
/// tokens or with <c>access_denied</c> (exit code 2).
/// </summary>
public sealed class DeviceCliSampleTests(DeviceCliServer server) : IClassFixture<DeviceCliServer>
{
    [Fact]
    public async Task The_cli_polls_until_the_person_allows_and_then_has_tokens_for_them()
    {
        await using var cli = server.StartSample("DeviceCli", ["--client-id", DeviceCliServer.ClientId, "--scope", "openid profile offline_access"]);
        var verification = await cli.WaitForLineAsync("VERIFY ");
        Assert.StartsWith($"{server.Issuer}/device?user_code=", verification, StringComparison.Ordinal);

        // It polls and is told to wait until the person acts (RFC 8628 §3.5).
        await cli.WaitForLineAsync("authorization_pending");

        await DecideAsync(verification, GuideServer.Username, GuideServer.Password, allow: true);

        var summary = await cli.SummaryAsync();
        Assert.Equal(await server.UserIdAsync(), summary.GetProperty("sub").GetString());
        Assert.Equal(DeviceCliServer.ClientId, summary.GetProperty("aud").GetString());
        Assert.Equal(["offline_access", "openid", "profile"], summary.GetProperty("scope").GetString()!.Split(' ').Order());
        Assert.True(summary.GetProperty("has_refresh_token").GetBoolean());
        Assert.DoesNotContain("slow_down", cli.Output, StringComparison.Ordinal); // it kept to the interval
    }

    [Fact]
    public async Task A_denial_ends_the_cli_with_access_denied()
    {
        await using var cli = server.StartSample("DeviceCli", ["--client-id", DeviceCliServer.ClientId, "--scope", "openid profile"]);
        var verification = await cli.WaitForLineAsync("VERIFY ");

        await DecideAsync(verification, GuideServer.OtherUsername, GuideServer.OtherPassword, allow: false);

        Assert.Equal(2, await cli.WaitForExitAsync());
        Assert.Contains("ERROR access_denied", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SUMMARY", cli.Output, StringComparison.Ordinal);
    }

    /// <summary>Opens the verification URL in a new browser, signs in, and allows or denies on the device consent page.</summary>
    private async Task DecideAsync(string verificationUriComplete, string username, string password, bool allow)
    {
        using var browser = server.NewBrowser();
        using var login = await browser.GetAsync(verificationUriComplete);
        var loginPage = await login.Content.ReadAsStringAsync();
        Assert.True(login.StatusCode == HttpStatusCode.OK, loginPage);
        using var signedIn = await browser.SignInAsync(loginPage, username, password);
        using var consent = await server.FollowAsync(browser, signedIn);
        var consentPage = await consent.Content.ReadAsStringAsync();
        Assert.True(consent.StatusCode == HttpStatusCode.OK && consentPage.Contains("name=\"decision\"", StringComparison.Ordinal), consentPage);
        using var decided = await browser.SubmitAsync(consentPage, new Dictionary<string, string> { ["decision"] = allow ? "allow" : "deny" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
    }
}
