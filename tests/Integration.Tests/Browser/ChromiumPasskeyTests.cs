using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>The browser flow server on <c>http://localhost:PORT</c>: a passkey's relying party id must be a domain (WebAuthn L3 §5.1.2).</summary>
public sealed class PasskeyBrowserServer : BrowserFlowServer
{
    protected override string Host => "localhost";
}

/// <summary>
/// Passkeys in a real browser (Debian's Chromium, driven by Playwright) with Chrome's virtual authenticator (the DevTools
/// protocol's WebAuthn domain: a CTAP2 platform authenticator with resident keys and user verification), against the
/// built server in its own process: the page's script calls <c>navigator.credentials.create</c> and <c>get</c> under
/// the pages' CSP, as it would with a phone or a security key. Registration on <c>/account/passkeys</c>, a passwordless
/// sign-in on the authorization flow's sign-in page through to the client's code and the ID token's <c>amr</c>, and the
/// passkey as the second factor after the password.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumPasskeyTests(PasskeyBrowserServer server) : IClassFixture<PasskeyBrowserServer>
{
    /// <summary>WebAuthn.addVirtualAuthenticator: an internal (platform) CTAP2 authenticator that holds discoverable credentials and verifies the user.</summary>
    private static async Task AddVirtualAuthenticatorAsync(ChromiumSession chromium)
    {
        var cdp = await chromium.Context.NewCDPSessionAsync(chromium.Page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
    }

    /// <summary>From the authorization sign-in (or second step) to the client's redirect: the ID token's amr.</summary>
    private async Task<string[]> AmrAfterAsync(IPage page, string verifier, Func<IReadOnlyList<string>> navigations)
    {
        var callbackPrefix = server.Callback.RedirectUri + "?";
        if (!page.Url.StartsWith(callbackPrefix, StringComparison.Ordinal))
        {
            var consent = page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true });
            try
            {
                await page.WaitForUrlAsync(url => url.StartsWith(callbackPrefix, StringComparison.Ordinal) || url.Contains("/connect/", StringComparison.Ordinal));
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"Still at {page.Url}: {await page.ContentAsync()}\nNavigations:\n{string.Join("\n", navigations())}\nServer:\n{server.Process.Output}", e);
            }

            if (!page.Url.StartsWith(callbackPrefix, StringComparison.Ordinal))
            {
                await consent.ClickAsync();
                await page.WaitForUrlAsync(url => url.StartsWith(callbackPrefix, StringComparison.Ordinal));
            }
        }

        var code = QueryHelpers.ParseQuery(new Uri(page.Url).Query)["code"].ToString();
        var (status, body, raw) = await server.RedeemAsync(code, verifier);
        Assert.True(status == 200, $"The token endpoint answered {status}: {raw}");
        var idToken = BrowserFlowServer.JwtPayload(body.GetProperty("id_token").GetString()!);
        Assert.Equal("urn:authservice:acr:mfa", idToken.GetProperty("acr").GetString());
        return [.. idToken.GetProperty("amr").EnumerateArray().Select(v => v.GetString()!)];
    }

    [Fact]
    public async Task Alice_registers_a_passkey_signs_in_with_it_alone_and_then_as_the_second_factor_after_her_password()
    {
        await using var chromium = await ChromiumSession.LaunchAsync();
        await AddVirtualAuthenticatorAsync(chromium);
        var page = chromium.Page;

        // Register on the account page.
        await page.GotoAsync(server.Issuer + "/account");
        await page.FillAsync("#username", BrowserFlowServer.Username);
        await page.FillAsync("#password", BrowserFlowServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Your account" }).WaitForAsync();
        await page.GotoAsync(server.Issuer + "/account/passkeys");
        await page.FillAsync("#passkey-name", "Virtual authenticator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue with your passkey", Exact = true }).ClickAsync();
        await page.Locator("p.status", new() { HasText = "Your passkey has been added." }).WaitForAsync();
        Assert.Contains("Virtual authenticator", await page.Locator("#passkeys").InnerTextAsync(), StringComparison.Ordinal);

        // Sign out, then sign in without a password on the authorization flow's sign-in page.
        await page.GotoAsync(server.Issuer + "/account");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Signed out" }).WaitForAsync();
        var (verifier, challenge) = BrowserFlowServer.NewPkce();
        await page.GotoAsync(server.AuthorizeUrl("openid profile", "s1", "n1", challenge));
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with a passkey" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue with your passkey", Exact = true }).ClickAsync();
        Assert.Equal(["hwk", "user", "mfa"], await AmrAfterAsync(page, verifier, () => chromium.Navigations));

        // The password again (prompt=login), then the passkey as the second factor: pwd, hwk, mfa (RFC 8176 §2).
        (verifier, challenge) = BrowserFlowServer.NewPkce();
        await page.GotoAsync(server.AuthorizeUrl("openid profile", "s2", "n2", challenge) + "&prompt=login");
        await page.FillAsync("#username", BrowserFlowServer.Username);
        await page.FillAsync("#password", BrowserFlowServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Second step" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("#code").CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Continue with your passkey" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue with your passkey", Exact = true }).ClickAsync();
        Assert.Equal(["pwd", "hwk", "mfa"], await AmrAfterAsync(page, verifier, () => chromium.Navigations));

        Assert.True(chromium.ConsoleErrors.Count == 0, "The browser console has errors:\n" + string.Join("\n", chromium.ConsoleErrors));
    }
}
