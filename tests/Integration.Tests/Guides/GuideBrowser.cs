using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// The browser steps the guides' samples share: AuthService's sign-in page (and its consent page when shown), each step
/// bounded, a failure reported with where the browser is, what it logged, and the end of both processes' output.
/// </summary>
internal sealed class GuideBrowser(ChromiumSession chromium, ServerProcess authServer, ServerProcess sample)
{
    public IPage Page => chromium.Page;

    /// <summary>
    /// On AuthService's sign-in page: signs in, allows on the consent page if one is shown, and waits until the browser is
    /// back at a URL that <paramref name="atClient"/> accepts.
    /// </summary>
    public async Task SignInAsync(string issuer, string username, string password, Func<string, bool> atClient)
    {
        await StepAsync("reaching AuthService's sign-in page", () => Page.WaitForUrlAsync(url => url.StartsWith(issuer + "/", StringComparison.Ordinal)));
        await StepAsync("the sign-in form", () => Page.Locator("#username").WaitForAsync());
        await Page.FillAsync("#username", username);
        await Page.FillAsync("#password", password);
        await StepAsync("signing in", () => Page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync());

        // The consent page (OIDC Core §3.1.2.4) unless the grant is already remembered: either way the browser ends at the client.
        await StepAsync("the consent page or the client", async () =>
        {
            var deadline = DateTime.UtcNow + ChromiumSession.StepTimeout;
            while (!atClient(Page.Url))
            {
                if (await Page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).CountAsync() > 0)
                {
                    await Page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync();
                    break;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"Neither a consent page nor the client within {ChromiumSession.StepTimeout.TotalSeconds:0} s.");
                }

                await Task.Delay(50);
            }
        });
        await StepAsync("back at the client", () => Page.WaitForUrlAsync(atClient));
    }

    /// <summary>Runs a browser step; on a timeout or a Playwright error, fails with the diagnostics.</summary>
    public async Task StepAsync(string what, Func<Task> step)
    {
        try
        {
            await step().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            Assert.Fail($"Browser step '{what}' failed: {ex.Message}{Diagnostics()}");
        }
    }

    /// <summary>Where the browser is, its navigations and console, and the end of both processes' output.</summary>
    public string Diagnostics() =>
        $"\nBrowser at: {Page.Url}"
        + $"\nNavigations:\n  {string.Join("\n  ", chromium.Navigations)}"
        + $"\nConsole:\n  {string.Join("\n  ", chromium.ConsoleMessages)}"
        + $"\n--- sample ---\n{SampleDirectory.Tail(sample.Output, 3000)}"
        + $"\n--- AuthService ---\n{SampleDirectory.Tail(authServer.Output, 3000)}";
}
