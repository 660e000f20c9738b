using Microsoft.Playwright;
using OtpNet;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// Steps a person takes on the server's own pages in Chromium, shared by the browser tests: signing in on the account
/// page, adding an authenticator app (the key read from the page as a person would type it into their app, codes
/// computed with Otp.NET, RFC 6238, on the real clock), and consenting.
/// </summary>
internal static class ChromiumAccountSteps
{
    /// <summary>One TOTP step (RFC 6238 §4: X = 30 s).</summary>
    public static readonly TimeSpan TotpStep = TimeSpan.FromSeconds(30);

    public static string CodeAt(string key, DateTime at) => new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal))).ComputeTotp(at);

    /// <summary>Opens <c>/account</c>, signs in with the password form and waits for the account page.</summary>
    public static async Task SignInToAccountAsync(IPage page, string issuer, string username, string password)
    {
        await page.GotoAsync(issuer + "/account");
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Your account" }).WaitForAsync();
    }

    /// <summary>
    /// From the account page: adds an authenticator app and confirms it with the current step's code (spent from then on);
    /// returns the key. The next code to use is the next step's.
    /// </summary>
    public static async Task<string> EnrolAuthenticatorAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Second factors" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add an authenticator app" }).ClickAsync();
        await page.Locator("#totp-secret").WaitForAsync();
        Assert.True(await page.GetByRole(AriaRole.Img, new() { Name = "QR code to scan with your authenticator app" }).IsVisibleAsync());
        var key = await page.Locator("#totp-secret").InnerTextAsync();

        await page.FillAsync("#confirm-code", CodeAt(key, DateTime.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
        await page.Locator("#totp-state").WaitForAsync();
        Assert.Contains("Set up.", await page.Locator("#totp-state").InnerTextAsync(), StringComparison.Ordinal);
        return key;
    }

    /// <summary>Allows client access on the consent page and waits until the browser reaches the client's callback.</summary>
    public static async Task AllowAsync(IPage page, string callbackPrefix)
    {
        await page.Locator("h1", new() { HasText = "Allow access?" }).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync();
        await page.WaitForUrlAsync(url => url.StartsWith(callbackPrefix, StringComparison.Ordinal));
    }

    /// <summary>
    /// No console error or page error (CSP violations among them). Chromium logs a page answered with an error status as
    /// "Failed to load resource"; <paramref name="refusedPath"/> is a page the test had refused on purpose (a wrong password's 400).
    /// </summary>
    public static void AssertNoConsoleErrors(ChromiumSession chromium, string? refusedPath = null)
    {
        var errors = chromium.ConsoleErrors.Where(m => refusedPath is null
            || !(m.Contains("Failed to load resource", StringComparison.Ordinal) && m.Contains(refusedPath + ":", StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "The browser console has errors:\n" + string.Join("\n", errors));
    }
}
