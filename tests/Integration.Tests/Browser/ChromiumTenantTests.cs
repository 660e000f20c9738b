using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// Tenant claims through the code flow in a real browser with a person in two tenants (docs/adr/0038): the picker as
/// Chromium shows it (its CSP and form post), the choice in the ID token, and a second authorization naming the other
/// tenant that skips the picker.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumTenantTests(TenantBrowserServer server) : IClassFixture<TenantBrowserServer>
{
    private const string Scope = "openid tenant";

    [Fact]
    public async Task Alice_in_two_tenants_picks_one_its_slug_is_in_the_id_token_and_the_tenant_parameter_skips_the_picker()
    {
        var north = await server.TenantWithMemberAsync("North Division", BrowserFlowServer.Username);
        var south = await server.TenantWithMemberAsync("South Division", BrowserFlowServer.Username);
        await using var chromium = await ChromiumSession.LaunchAsync();
        var page = chromium.Page;

        var (verifier, challenge) = BrowserFlowServer.NewPkce();
        await page.GotoAsync(server.AuthorizeUrl(Scope, "s1", "n1", challenge));
        await page.FillAsync("#username", BrowserFlowServer.Username);
        await page.FillAsync("#password", BrowserFlowServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Choose an organisation" }).WaitForAsync();
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "North Division", Exact = true }).IsVisibleAsync());
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "South Division", Exact = true }).IsVisibleAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "South Division", Exact = true }).ClickAsync();
        await ChromiumAccountSteps.AllowAsync(page, server.Callback.RedirectUri + "?");

        var first = await RedeemedIdTokenAsync(page.Url, verifier);
        Assert.Equal(south, first.GetProperty("tenant").GetString());
        Assert.Equal(new[] { north, south }.Order(StringComparer.Ordinal), first.GetProperty("tenants").EnumerateArray().Select(t => t.GetString()));

        // Signed in and consented: naming the other tenant goes straight to the client with it.
        var second = BrowserFlowServer.NewPkce();
        var response = await page.GotoAsync(server.AuthorizeUrl(Scope, "s2", "n2", second.Challenge) + "&tenant=" + north);
        Assert.True(response is not null && response.Url.StartsWith(server.Callback.RedirectUri + "?", StringComparison.Ordinal),
            $"The second authorization did not go straight to the client: {response?.Url}");
        Assert.Equal(north, (await RedeemedIdTokenAsync(response!.Url, second.Verifier)).GetProperty("tenant").GetString());
        ChromiumAccountSteps.AssertNoConsoleErrors(chromium);
    }

    private async Task<System.Text.Json.JsonElement> RedeemedIdTokenAsync(string callbackUrl, string verifier)
    {
        var query = QueryHelpers.ParseQuery(new Uri(callbackUrl).Query);
        Assert.False(query.ContainsKey("error"), callbackUrl);
        var (status, body, raw) = await server.RedeemAsync(query["code"].ToString(), verifier);
        Assert.True(status == 200, $"The token endpoint answered {status}: {raw}");
        return BrowserFlowServer.JwtPayload(body.GetProperty("id_token").GetString()!);
    }
}
