using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using OtpNet;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// Adding an authenticator app and signing in with it in a real browser (Debian's Chromium, driven by Playwright)
/// against the built server in its own process: the key is read from the page as a person would type it into their
/// app, the codes computed with Otp.NET (RFC 6238) on the real clock, and the CSP of the security page (inline SVG QR
/// code, forms) and of the second step as a browser enforces it.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumSecondFactorTests(BrowserFlowServer server) : IClassFixture<BrowserFlowServer>
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    private static string CodeAt(string key, DateTime at) => new Totp(Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal))).ComputeTotp(at);

    [Fact]
    public async Task Alice_adds_an_authenticator_app_and_the_next_sign_in_asks_for_its_code_and_says_mfa()
    {
        string key;
        await using (var chromium = await ChromiumSession.LaunchAsync())
        {
            var page = chromium.Page;
            await page.GotoAsync(server.Issuer + "/account");
            await page.FillAsync("#username", BrowserFlowServer.Username);
            await page.FillAsync("#password", BrowserFlowServer.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await page.Locator("h1", new() { HasText = "Your account" }).WaitForAsync();

            await page.GetByRole(AriaRole.Link, new() { Name = "Second factors" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Add an authenticator app" }).ClickAsync();
            await page.Locator("#totp-secret").WaitForAsync();
            Assert.True(await page.GetByRole(AriaRole.Img, new() { Name = "QR code to scan with your authenticator app" }).IsVisibleAsync());
            key = await page.Locator("#totp-secret").InnerTextAsync();

            await page.FillAsync("#confirm-code", CodeAt(key, DateTime.UtcNow));
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm", Exact = true }).ClickAsync();
            await page.Locator("#totp-state").WaitForAsync();
            Assert.Contains("Set up.", await page.Locator("#totp-state").InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(chromium.ConsoleErrors.Count == 0, "The browser console has errors:\n" + string.Join("\n", chromium.ConsoleErrors));
        }

        // A new browser: the authorization flow asks for the password, then the code (the next step's: the confirming one is spent).
        await using var fresh = await ChromiumSession.LaunchAsync();
        var (verifier, challenge) = BrowserFlowServer.NewPkce();
        var signIn = fresh.Page;
        await signIn.GotoAsync(server.AuthorizeUrl("openid profile offline_access", "s1", "n1", challenge));
        await signIn.FillAsync("#username", BrowserFlowServer.Username);
        await signIn.FillAsync("#password", BrowserFlowServer.Password);
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await signIn.Locator("h1", new() { HasText = "Second step" }).WaitForAsync();
        Assert.Equal(0, await signIn.Locator("input[type=password]").CountAsync());
        await signIn.FillAsync("#code", CodeAt(key, DateTime.UtcNow + Step));
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();
        await signIn.Locator("h1", new() { HasText = "Allow access?" }).WaitForAsync();
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync();
        var callbackPrefix = server.Callback.RedirectUri + "?";
        await signIn.WaitForURLAsync(url => url.StartsWith(callbackPrefix, StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });

        var code = QueryHelpers.ParseQuery(new Uri(signIn.Url).Query)["code"].ToString();
        var (status, body, raw) = await server.RedeemAsync(code, verifier);
        Assert.True(status == 200, $"The token endpoint answered {status}: {raw}");
        var idToken = BrowserFlowServer.JwtPayload(body.GetProperty("id_token").GetString()!);
        Assert.Equal(["pwd", "otp", "mfa"], idToken.GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("urn:authservice:acr:mfa", idToken.GetProperty("acr").GetString());
        Assert.True(fresh.ConsoleErrors.Count == 0, "The browser console has errors:\n" + string.Join("\n", fresh.ConsoleErrors));
    }
}
