using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// The built server as its own process on a loopback port, seeded with alice and the public device client TV, with a
/// one-second polling interval so the polling client below does not idle.
/// </summary>
public sealed class DeviceFlowBrowserServer : IAsyncLifetime
{
    public const string ClientId = "TV";
    public const string Username = "alice";
    public const string Password = "alice-password-0123";

    private readonly string _directory = Directory.CreateTempSubdirectory("authservice-device-").FullName;
    private TestDatabase? _database;

    public ServerProcess Process { get; private set; } = null!;

    public string Issuer { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var seedFile = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seedFile, new JsonObject
        {
            ["clients"] = new JsonArray(new JsonObject
            {
                ["client_id"] = ClientId,
                ["client_name"] = "Kitchen TV",
                ["token_endpoint_auth_method"] = "none",
                ["grant_types"] = new JsonArray("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"),
                ["scope"] = "openid profile offline_access",
            }),
            ["users"] = new JsonArray(new JsonObject { ["username"] = Username, ["name"] = "Alice Example", ["password"] = Password }),
        }.ToJsonString());
        (Process, Issuer) = await LoopbackServer.StartAsync(_database.ConnectionString, seedFile, _directory,
            new Dictionary<string, string> { ["Auth__DeviceAuthorization__Interval"] = "00:00:01" });
        Http = new HttpClient { BaseAddress = new Uri(Issuer), Timeout = TimeSpan.FromSeconds(15) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        await LoopbackServer.StopAsync(Process, _database, _directory);
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, Dictionary<string, string> form)
    {
        using var response = await Http.PostAsync(path, new FormUrlEncodedContent(form));
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}

/// <summary>
/// The device flow with a real browser (RFC 8628 §3.3): a polling client (as a TV would: at the interval, slower after
/// <c>slow_down</c>) while alice, in Chromium, opens the verification URI, signs in, types the user code, reads the
/// consent with the §5.4 warning and allows; the client then gets its tokens. The pages' CSP blocks nothing.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumDeviceFlowTests(DeviceFlowBrowserServer server) : IClassFixture<DeviceFlowBrowserServer>
{
    [Fact]
    public async Task Alice_allows_the_TV_in_Chromium_while_it_polls_and_it_gets_tokens()
    {
        var (status, started) = await server.PostAsync("/connect/deviceauthorization",
            new() { ["client_id"] = DeviceFlowBrowserServer.ClientId, ["scope"] = "openid profile offline_access" });
        Assert.Equal(200, status);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var polling = PollUntilDecidedAsync(started.GetProperty("device_code").GetString()!, started.GetProperty("interval").GetInt32(), stop.Token);

        await using var chromium = await ChromiumSession.LaunchAsync();
        var page = chromium.Page;
        await page.GotoAsync(started.GetProperty("verification_uri").GetString()!).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Sign in", (await page.Locator("h1").InnerTextAsync()).Trim());
        await page.FillAsync("#username", DeviceFlowBrowserServer.Username);
        await page.FillAsync("#password", DeviceFlowBrowserServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await page.Locator("h1", new() { HasText = "Connect a device" }).WaitForAsync();
        await page.FillAsync("#user_code", started.GetProperty("user_code").GetString()!.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();

        await page.Locator("h1", new() { HasText = "Connect a device?" }).WaitForAsync();
        var consent = await page.Locator("main").InnerTextAsync();
        Assert.Contains("Kitchen TV", consent, StringComparison.Ordinal);
        Assert.Contains("Only continue if you started this on a device you have with you", consent, StringComparison.Ordinal);
        Assert.Contains(started.GetProperty("user_code").GetString()!, consent, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Device connected" }).WaitForAsync();
        Assert.Contains("You may return to your device", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        var (answers, tokens) = await polling;
        Assert.Contains("authorization_pending", answers);
        Assert.True(tokens.TryGetProperty("id_token", out _) && tokens.TryGetProperty("refresh_token", out _), tokens.ToString());
        Assert.True(chromium.ConsoleErrors.Count == 0, "Console errors (a CSP violation?):\n" + string.Join("\n", chromium.ConsoleErrors));
    }

    /// <summary>Polls as RFC 8628 §3.5 says: at the interval, 5 s slower after each <c>slow_down</c>, until tokens or another error.</summary>
    private async Task<(List<string> Answers, JsonElement Tokens)> PollUntilDecidedAsync(string deviceCode, int interval, CancellationToken cancellationToken)
    {
        var answers = new List<string>();
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(interval), cancellationToken);
            var (status, body) = await server.PostAsync("/connect/token", new()
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
                ["client_id"] = DeviceFlowBrowserServer.ClientId,
                ["device_code"] = deviceCode,
            });
            if (status == 200)
            {
                return (answers, body);
            }

            var error = body.GetProperty("error").GetString()!;
            answers.Add(error);
            if (error == "slow_down")
            {
                interval += 5;
            }
            else if (error != "authorization_pending")
            {
                Assert.Fail($"The poll answered {error}: {body}");
            }
        }
    }
}
