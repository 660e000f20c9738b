using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// The admin API's Swagger UI in a real browser (Debian's Chromium, driven by Playwright) against the built
/// server in its own process, Swagger UI enabled: "Try it out" on GET /admin/audit-events is refused (401)
/// without a token; the Authorize dialog obtains one with the admin_client_credentials scheme (client
/// credentials, HTTP Basic, scope admin) from the server's own token endpoint; the same "Execute" then
/// answers 200 with a page of the audit log. The /swagger Content-Security-Policy, as Chromium enforces it,
/// blocks none of this (a violation shows in the console).
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumSwaggerTests(SwaggerServer server, ITestOutputHelper log) : IClassFixture<SwaggerServer>
{
    private const string Scheme = "admin_client_credentials";
    private const string Operation = "#operations-Audit_log-ListAuditEvents"; // Swagger UI's id: tag (spaces as _) and operation id

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    // OAuth 2.1 §4.2 (client credentials), RFC 6749 §2.3.1 (client_secret_basic), RFC 6750 §3 (401 without a token).
    [Fact]
    public async Task Swagger_UI_authorizes_with_client_credentials_and_try_it_out_lists_the_audit_log()
    {
        await using var chromium = await ChromiumSession.LaunchAsync();
        Step("chromium started");
        var page = chromium.Page;

        var index = await Bounded(chromium, "opening Swagger UI", () => page.GotoAsync(server.Issuer + "/swagger/index.html"));
        Assert.True(index is not null && index.Status == 200, $"/swagger/index.html answered {index?.Status}.{Diagnostics(chromium)}");
        var operation = page.Locator(Operation);
        await Bounded(chromium, "waiting for the audit operation", () => operation.WaitForAsync());
        Step("swagger ui shown");

        // Expand GET /admin/audit-events, "Try it out", "Execute" without a token: 401.
        await Bounded(chromium, "expanding the operation", () => operation.Locator(".opblock-summary").First.ClickAsync());
        await Bounded(chromium, "clicking Try it out", () => operation.GetByRole(AriaRole.Button, new() { Name = "Try it out" }).ClickAsync());
        var unauthorized = await ExecuteAsync(chromium, operation);
        Assert.True(unauthorized.Status == 401, $"Without a token the audit log answered {unauthorized.Status}.{Diagnostics(chromium)}");
        Assert.Null(await unauthorized.Request.HeaderValueAsync("authorization")); // no token before authorizing
        await ExpectLiveStatusAsync(chromium, operation, "401");
        Step("execute without a token: 401");

        // Authorize: the dialog's admin_client_credentials section, client id and secret, the admin scope, Authorize.
        // (The dialog's buttons are found by class and text: their accessible names are aria-labels such as "Apply given OAuth2 credentials".)
        await Bounded(chromium, "opening the Authorize dialog", () => page.Locator(".auth-wrapper button.authorize").ClickAsync());
        var section = page.Locator(".modal-ux .auth-container").Filter(new() { HasText = Scheme });
        await Bounded(chromium, "waiting for the admin_client_credentials section", () => section.WaitForAsync());
        await section.Locator("input[data-name=clientId]").FillAsync(SwaggerServer.ClientId);
        await section.Locator("input[data-name=clientSecret]").FillAsync(SwaggerServer.ClientSecret);
        var scope = section.Locator("input[type=checkbox][data-value=admin]");
        if (!await scope.IsCheckedAsync())
        {
            var id = await scope.GetAttributeAsync("id");
            await Bounded(chromium, "ticking the admin scope", () => section.Locator($"label[for=\"{id}\"]").ClickAsync()); // the box itself is hidden behind its label
        }

        Assert.True(await scope.IsCheckedAsync(), $"The admin scope is not ticked.{Diagnostics(chromium)}");
        var token = await Bounded(chromium, "authorizing", () => page.RunAndWaitForResponseAsync(
            () => section.Locator("button.authorize", new() { HasText = "Authorize" }).ClickAsync(),
            r => r.Url == server.Issuer + "/connect/token"));
        Assert.True(token.Status == 200, $"The token endpoint answered {token.Status}: {await token.TextAsync()}{Diagnostics(chromium)}");
        Assert.StartsWith("Basic ", await token.Request.HeaderValueAsync("authorization") ?? "(none)", StringComparison.Ordinal);
        await Bounded(chromium, "waiting for 'Authorized'", () => section.Locator("h6", new() { HasText = "Authorized" }).WaitForAsync());
        Assert.Equal(0, await section.Locator(".errors").CountAsync());
        Step("authorized");

        await Bounded(chromium, "closing the dialog", () => section.Locator("button.btn-done", new() { HasText = "Close" }).ClickAsync());
        await Bounded(chromium, "waiting for the dialog to close", () => page.Locator(".modal-ux").WaitForAsync(new() { State = WaitForSelectorState.Detached }));

        // "Execute" again: the bearer token goes along, 200 and a page of the audit log.
        var listed = await ExecuteAsync(chromium, operation);
        Assert.True(listed.Status == 200, $"With the token the audit log answered {listed.Status}: {await listed.TextAsync()}{Diagnostics(chromium)}");
        Assert.StartsWith("Bearer ", await listed.Request.HeaderValueAsync("authorization") ?? "(none)", StringComparison.Ordinal);
        await ExpectLiveStatusAsync(chromium, operation, "200");
        var body = await operation.Locator(".live-responses-table .response-col_description .microlight").First.InnerTextAsync();
        Assert.True(body.Contains("\"items\"", StringComparison.Ordinal), $"The response shown holds no items: {body}{Diagnostics(chromium)}");
        Step("execute with the token: 200");

        var csp = chromium.ConsoleMessages.Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(csp.Count == 0, "The /swagger Content-Security-Policy blocked something:\n" + string.Join("\n", csp) + Diagnostics(chromium));
        // The only error Chromium may log is the 401 above ("Failed to load resource"), which the test asked for.
        var errors = chromium.ConsoleErrors.Where(m => !(m.Contains("Failed to load resource", StringComparison.Ordinal) && m.Contains("401", StringComparison.Ordinal)
            && m.Contains("/admin/audit-events", StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "The browser console has errors:\n" + string.Join("\n", errors) + Diagnostics(chromium));
    }

    /// <summary>Clears a response shown before, clicks "Execute" and returns the response to the request it sends.</summary>
    private async Task<IResponse> ExecuteAsync(ChromiumSession chromium, ILocator operation)
    {
        var clear = operation.GetByRole(AriaRole.Button, new() { Name = "Clear" });
        if (await clear.CountAsync() > 0)
        {
            await Bounded(chromium, "clearing the response", () => clear.ClickAsync());
            await Bounded(chromium, "waiting for the response to go", () =>
                operation.Locator(".live-responses-table").WaitForAsync(new() { State = WaitForSelectorState.Detached }));
        }

        var prefix = server.Issuer + "/admin/audit-events";
        return await Bounded(chromium, "executing", () => chromium.Page.RunAndWaitForResponseAsync(
            () => operation.GetByRole(AriaRole.Button, new() { Name = "Execute" }).ClickAsync(),
            r => r.Url.StartsWith(prefix, StringComparison.Ordinal) && r.Request.Method == "GET"));
    }

    /// <summary>Waits until the response Swagger UI shows for the operation has the status code.</summary>
    private Task ExpectLiveStatusAsync(ChromiumSession chromium, ILocator operation, string status) =>
        Bounded(chromium, $"waiting for the response {status} to be shown", () =>
            operation.Locator(".live-responses-table .response-col_status", new() { HasText = status }).First.WaitForAsync());

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
            var path = ScreenshotPath($"swagger-failure-{Guid.NewGuid():N}.png");
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
