using System.Net.Http.Headers;
using System.Text.Json;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// Hangfire's dashboard at <c>/admin/jobs/dashboard</c> in a real browser (Debian's Chromium, driven by
/// Playwright) against the built server in its own process, reached the way docs/operations.md describes:
/// the browser adds an admin bearer token to every request (as a header-injecting proxy does). Its pages,
/// styles and scripts load, its script runs, and the path's Content-Security-Policy, as Chromium enforces
/// it, blocks none of it (a violation shows in the console). Without the header the page is a 401.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumJobDashboardTests(SwaggerServer server) : IClassFixture<SwaggerServer>
{
    [Fact]
    public async Task The_dashboard_renders_under_its_content_security_policy_with_an_admin_token_only()
    {
        await using var chromium = await ChromiumSession.LaunchAsync();
        var page = chromium.Page;

        var anonymous = await page.GotoAsync(server.Issuer + "/admin/jobs/dashboard/recurring");
        Assert.Equal(401, anonymous?.Status);

        await chromium.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["Authorization"] = "Bearer " + await AdminTokenAsync() });
        foreach (var path in new[] { "/admin/jobs/dashboard", "/admin/jobs/dashboard/recurring" })
        {
            var response = await page.GotoAsync(server.Issuer + path, new() { WaitUntil = Microsoft.Playwright.WaitUntilState.NetworkIdle, Timeout = 30_000 });
            Assert.True(response?.Status == 200, $"{path} answered {response?.Status}. Console:\n{string.Join("\n", chromium.ConsoleMessages)}");
            // The dashboard's script ran (it defines window.Hangfire) and its stylesheet applied.
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.Hangfire === 'object'"), $"The dashboard's script did not run on {path}.");
            Assert.True(await page.EvaluateAsync<int>("() => document.styleSheets.length") >= 1, $"No stylesheet on {path}.");
        }

        var table = await page.Locator("table").First.InnerTextAsync();
        Assert.Contains("signing-key-rotation", table, StringComparison.Ordinal);
        Assert.Contains("revocation-purge", table, StringComparison.Ordinal);

        var csp = chromium.ConsoleMessages.Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(csp.Count == 0, "The dashboard's Content-Security-Policy blocked something:\n" + string.Join("\n", csp));
        // The only error Chromium may log is the 401 the test asked for first.
        var errors = chromium.ConsoleErrors.Where(m => !(m.Contains("Failed to load resource", StringComparison.Ordinal) && m.Contains("401", StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "The browser console has errors:\n" + string.Join("\n", errors));
    }

    private async Task<string> AdminTokenAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Issuer + "/connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "admin")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{SwaggerServer.ClientId}:{SwaggerServer.ClientSecret}")));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"The token endpoint answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
