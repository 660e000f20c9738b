using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

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
    [Fact]
    public async Task Alice_adds_an_authenticator_app_and_the_next_sign_in_asks_for_its_code_and_says_mfa()
    {
        string key;
        await using (var chromium = await ChromiumSession.LaunchAsync())
        {
            await ChromiumAccountSteps.SignInToAccountAsync(chromium.Page, server.Issuer, BrowserFlowServer.Username, BrowserFlowServer.Password);
            key = await ChromiumAccountSteps.EnrolAuthenticatorAsync(chromium.Page);
            ChromiumAccountSteps.AssertNoConsoleErrors(chromium);
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
        await signIn.FillAsync("#code", ChromiumAccountSteps.CodeAt(key, DateTime.UtcNow + ChromiumAccountSteps.TotpStep));
        await signIn.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();
        await ChromiumAccountSteps.AllowAsync(signIn, server.Callback.RedirectUri + "?");

        var code = QueryHelpers.ParseQuery(new Uri(signIn.Url).Query)["code"].ToString();
        var (status, body, raw) = await server.RedeemAsync(code, verifier);
        Assert.True(status == 200, $"The token endpoint answered {status}: {raw}");
        var idToken = BrowserFlowServer.JwtPayload(body.GetProperty("id_token").GetString()!);
        Assert.Equal(["pwd", "otp", "mfa"], idToken.GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("urn:authservice:acr:mfa", idToken.GetProperty("acr").GetString());
        ChromiumAccountSteps.AssertNoConsoleErrors(fresh);
    }
}
