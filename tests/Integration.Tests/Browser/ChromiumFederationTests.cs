using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Federation.Upstreams;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// The server process of <see cref="BrowserFlowServer"/> with an upstream OpenID provider (oidc-provider 9.13.3 as its own
/// process, <see cref="OidcUpstream"/>) registered through the admin API once the server's address is known (the upstream
/// needs the callbacks as its client's redirect URIs): as provider "up", for links made from the account page as "upb", and
/// as "upf" with <c>response_mode=form_post</c> (all with auto-provisioning on). The local account "ned" has the upstream Ned's
/// address (the proof page). The server listens on https at <c>localhost</c> and the upstream on http at <c>127.0.0.1</c>:
/// two sites, so the upstream's answers are cross-site requests, as with a real upstream, and the cookies are those of
/// production (<c>__Host-</c>, <c>Secure</c>; the binding cookie <c>SameSite=None</c>).
/// </summary>
public sealed class FederationBrowserServer : BrowserFlowServer, IAsyncLifetime
{
    public const string Provider = "up";
    public const string ProviderB = "upb";
    public const string ProviderBDisplayName = "Upstream B";
    public const string FormPostProvider = "upf";
    public const string NedUsername = "ned";
    public const string NedPassword = "ned-local-password-0123";
    private const string AdminClient = "FADM";
    private const string AdminSecret = "fadm-secret-0123456789abcdef";

    public OidcUpstream Upstream { get; private set; } = null!;

    public override bool Https => true;

    protected override string Host => "localhost";

    protected override void ExtendSeed(JsonObject seed)
    {
        seed["clients"]!.AsArray().Add(new JsonObject
        {
            ["client_id"] = AdminClient,
            ["client_secret"] = AdminSecret,
            ["token_endpoint_auth_method"] = "client_secret_basic",
            ["grant_types"] = new JsonArray("client_credentials"),
            ["scope"] = "admin",
        });
        seed["users"]!.AsArray().Add(new JsonObject
        {
            ["username"] = NedUsername, ["email"] = OidcUpstream.Ned.Email, ["email_verified"] = true, ["name"] = "Ned Local", ["password"] = NedPassword,
        });
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Upstream = await OidcUpstream.StartAsync([CallbackOf(Provider), CallbackOf(ProviderB), CallbackOf(FormPostProvider)]);
        foreach (var (name, display, mode) in new[] { (Provider, "Upstream IdP", "query"), (ProviderB, ProviderBDisplayName, "query"), (FormPostProvider, "Upstream F", "form_post") })
        {
            var (status, body) = await AdminAsync(HttpMethod.Post, "/admin/external-providers", new Dictionary<string, object>
            {
                ["name"] = name, ["display_name"] = display, ["issuer"] = Upstream.Issuer, ["client_id"] = OidcUpstream.ClientId,
                ["client_secret"] = OidcUpstream.ClientSecret, ["auto_provision"] = true, ["trust_email_verified"] = true, ["response_mode"] = mode,
            });
            Assert.True(status == 201, $"{status}: {body}");
        }
    }

    public string CallbackOf(string provider) => $"{Issuer}/account/external/{provider}/callback";

    /// <summary>The local user's id, read through the admin API (<c>GET /admin/users?q=</c>).</summary>
    public async Task<string> UserIdAsync(string username)
    {
        var (status, body) = await AdminAsync(HttpMethod.Get, "/admin/users?q=" + Uri.EscapeDataString(username));
        Assert.True(status == 200, $"{status}: {body}");
        return body.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("username").GetString() == username).GetProperty("id").GetString()!;
    }

    /// <summary>The user's links as "provider/subject", read through the admin API.</summary>
    public async Task<IReadOnlyList<string>> IdentitiesAsync(string userId)
    {
        var (status, body) = await AdminAsync(HttpMethod.Get, $"/admin/users/{userId}/identities");
        Assert.True(status == 200, $"{status}: {body}");
        return [.. body.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("provider").GetString()}/{i.GetProperty("subject").GetString()}")];
    }

    /// <summary>A request to the admin API with a fresh client-credentials token of the admin client.</summary>
    private async Task<(int Status, JsonElement Body)> AdminAsync(HttpMethod method, string path, object? body = null)
    {
        using var token = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "admin" }),
        };
        token.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{AdminClient}:{AdminSecret}")));
        using var issued = await Http.SendAsync(token);
        var accessToken = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();

        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await Http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, raw.Length == 0 ? default : JsonDocument.Parse(raw).RootElement.Clone());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }

        await DisposeAsync();
    }
}

/// <summary>
/// Upstream sign-in in a real browser (Debian's Chromium, driven by Playwright) through to the client's tokens
/// (docs/adr/0037): the provider's button on the authorization flow's sign-in page, the upstream's own login form, the
/// callback, the proof page of an account with the upstream's address, consent, the client's code, and an ID token with
/// the local <c>sub</c>; and the account page's "Link" and "Unlink". The browser enforces every page's CSP, including
/// <c>form-action</c> over the redirects that follow a form post, which HTTP-level tests cannot see. The tests use
/// different upstream people (or providers), so their order does not matter.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumFederationTests(FederationBrowserServer server) : IClassFixture<FederationBrowserServer>
{
    private string ClientCallback => server.Callback.RedirectUri + "?";

    [Fact]
    public async Task A_person_signs_in_with_the_upstream_is_provisioned_and_the_client_gets_the_local_sub_and_amr_fed()
    {
        await using var chromium = await ChromiumSession.LaunchAsync(server.Https);
        var page = chromium.Page;
        var (verifier, challenge) = BrowserFlowServer.NewPkce();

        await page.GotoAsync(server.AuthorizeUrl("openid profile email", "s1", "n1", challenge));
        await SignInAtUpstreamAsync(page, FederationBrowserServer.Provider, OidcUpstream.Ann);
        await ChromiumAccountSteps.AllowAsync(page, ClientCallback);

        var idToken = await RedeemAsync(page, "s1", verifier);
        Assert.True(Guid.TryParse(idToken.GetProperty("sub").GetString(), out _), "The client sees the local sub, not the upstream's.");
        Assert.Equal(["fed", .. OidcUpstream.Methods], Amr(idToken));
        ChromiumAccountSteps.AssertNoConsoleErrors(chromium);
    }

    [Fact]
    public async Task An_account_with_the_upstreams_address_is_linked_after_its_password_and_authenticator_code_on_the_proof_page()
    {
        var nedId = await server.UserIdAsync(FederationBrowserServer.NedUsername);
        string key;
        await using (var enrolling = await ChromiumSession.LaunchAsync(server.Https))
        {
            await ChromiumAccountSteps.SignInToAccountAsync(enrolling.Page, server.Issuer, FederationBrowserServer.NedUsername, FederationBrowserServer.NedPassword);
            key = await ChromiumAccountSteps.EnrolAuthenticatorAsync(enrolling.Page);
        }

        await using var chromium = await ChromiumSession.LaunchAsync(server.Https);
        var page = chromium.Page;
        var (verifier, challenge) = BrowserFlowServer.NewPkce();
        await page.GotoAsync(server.AuthorizeUrl("openid profile email", "s2", "n2", challenge));
        await SignInAtUpstreamAsync(page, FederationBrowserServer.Provider, OidcUpstream.Ned);

        await page.Locator("h1", new() { HasText = "Link your account" }).WaitForAsync();
        Assert.Contains(OidcUpstream.Ned.Email, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await page.FillAsync("#password", "not-neds-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in and link" }).ClickAsync();
        await page.GetByRole(AriaRole.Alert).WaitForAsync();
        Assert.Contains("The password is incorrect", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(await server.IdentitiesAsync(nedId));

        await page.FillAsync("#password", FederationBrowserServer.NedPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in and link" }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Second step" }).WaitForAsync();
        Assert.Empty(await server.IdentitiesAsync(nedId));
        // The next step's code: the one that confirmed the app is spent (RFC 6238 §5.2).
        await page.FillAsync("#code", ChromiumAccountSteps.CodeAt(key, DateTime.UtcNow + ChromiumAccountSteps.TotpStep));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();
        await ChromiumAccountSteps.AllowAsync(page, ClientCallback);

        var idToken = await RedeemAsync(page, "s2", verifier);
        Assert.Equal(nedId, idToken.GetProperty("sub").GetString());
        // What the person proved here (docs/adr/0037 "Account resolution"): the account's password and its authenticator app.
        Assert.Equal(["pwd", "otp", "mfa"], Amr(idToken));
        Assert.Equal([$"{FederationBrowserServer.Provider}/{OidcUpstream.Ned.Login}"], await server.IdentitiesAsync(nedId));
        ChromiumAccountSteps.AssertNoConsoleErrors(chromium, refusedPath: "/account/external-link/proof");
    }

    [Fact]
    public async Task The_account_page_links_the_upstream_the_next_upstream_sign_in_lands_in_that_account_and_the_page_unlinks_it()
    {
        var aliceId = await server.UserIdAsync(BrowserFlowServer.Username);
        await using var account = await ChromiumSession.LaunchAsync(server.Https);
        var page = account.Page;
        await ChromiumAccountSteps.SignInToAccountAsync(page, server.Issuer, BrowserFlowServer.Username, BrowserFlowServer.Password);
        var linked = page.Locator("section[aria-labelledby=linked-heading]");
        await page.GetByRole(AriaRole.Button, new() { Name = "Link " + FederationBrowserServer.ProviderBDisplayName, Exact = true }).ClickAsync();
        await SignInAtUpstreamFormAsync(page, OidcUpstream.Ann);
        await page.Locator("h1", new() { HasText = "Account linked" }).WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to your account" }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Your account" }).WaitForAsync();
        Assert.Contains($"{FederationBrowserServer.ProviderBDisplayName} ({OidcUpstream.Ann.Email})", await linked.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal([$"{FederationBrowserServer.ProviderB}/{OidcUpstream.Ann.Login}"], await server.IdentitiesAsync(aliceId));

        // Another browser: the upstream's button alone signs in to Alice's account.
        await using (var other = await ChromiumSession.LaunchAsync(server.Https))
        {
            var (verifier, challenge) = BrowserFlowServer.NewPkce();
            await other.Page.GotoAsync(server.AuthorizeUrl("openid profile email", "s3", "n3", challenge));
            await SignInAtUpstreamAsync(other.Page, FederationBrowserServer.ProviderB, OidcUpstream.Ann);
            await ChromiumAccountSteps.AllowAsync(other.Page, ClientCallback);
            var idToken = await RedeemAsync(other.Page, "s3", verifier);
            Assert.Equal(aliceId, idToken.GetProperty("sub").GetString());
            Assert.Equal(["fed", .. OidcUpstream.Methods], Amr(idToken));
            ChromiumAccountSteps.AssertNoConsoleErrors(other);
        }

        // Alice keeps her password, so the link is not her last way in: the page unlinks it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Unlink " + FederationBrowserServer.ProviderBDisplayName, Exact = true }).ClickAsync();
        await page.Locator("h1", new() { HasText = "Your account" }).WaitForAsync();
        Assert.Contains("No account at another provider is linked", await linked.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Link " + FederationBrowserServer.ProviderBDisplayName, Exact = true }).IsVisibleAsync());
        Assert.Empty(await server.IdentitiesAsync(aliceId));
        ChromiumAccountSteps.AssertNoConsoleErrors(account);
    }

    [Fact]
    public async Task A_form_post_upstreams_cross_site_post_to_the_callback_carries_the_binding_cookie_and_the_flow_finishes()
    {
        await using var chromium = await ChromiumSession.LaunchAsync(server.Https);
        var page = chromium.Page;
        var (verifier, challenge) = BrowserFlowServer.NewPkce();

        await page.GotoAsync(server.AuthorizeUrl("openid profile email", "s4", "n4", challenge));
        await page.Locator("#external-" + FederationBrowserServer.FormPostProvider).ClickAsync();
        try
        {
            await page.WaitForURLAsync(url => url.StartsWith(server.Upstream.Issuer + "/", StringComparison.Ordinal));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"The browser did not reach the upstream ({server.Upstream.Issuer}); it is at {page.Url}.", ex);
        }

        // The authorization request (the upstream has moved on to its login page since) asked for the form post.
        var authorization = chromium.Navigations.Select(n => n.Split(' ', 3)[2])
            .First(url => url.StartsWith(server.Upstream.Issuer + "/", StringComparison.Ordinal) && url.Contains("client_id=", StringComparison.Ordinal));
        Assert.Equal("form_post", QueryHelpers.ParseQuery(new Uri(authorization).Query)["response_mode"].ToString());
        // The binding cookie a cross-site POST can carry (RFC 6265bis §5.6.7.1: SameSite=None, so Secure; __Host-, so no Domain).
        var binding = Assert.Single(await chromium.Context.CookiesAsync([server.Issuer]), c => c.Name == "__Host-authservice-federation");
        Assert.Equal((SameSiteAttribute.None, true, true), (binding.SameSite, binding.Secure, binding.HttpOnly));

        await SignInAtUpstreamFormAsync(page, OidcUpstream.Uma);
        await ChromiumAccountSteps.AllowAsync(page, ClientCallback);

        // The upstream's page posted the answer to our callback (OAuth 2.0 Form Post Response Mode §2), and it was taken.
        Assert.Contains(chromium.Navigations, n => n == $"200 POST {server.CallbackOf(FederationBrowserServer.FormPostProvider)}");
        var idToken = await RedeemAsync(page, "s4", verifier);
        Assert.True(Guid.TryParse(idToken.GetProperty("sub").GetString(), out _), "The client sees the local sub, not the upstream's.");
        Assert.Equal(["fed", .. OidcUpstream.Methods], Amr(idToken));
        ChromiumAccountSteps.AssertNoConsoleErrors(chromium);
    }

    /// <summary>On our sign-in page: presses <paramref name="provider"/>'s button and signs in at the upstream as <paramref name="person"/>.</summary>
    private async Task SignInAtUpstreamAsync(IPage page, string provider, UpstreamAccount person)
    {
        await page.Locator("#external-" + provider).ClickAsync();
        await SignInAtUpstreamFormAsync(page, person);
    }

    /// <summary>The upstream's own login form (any password), once the browser is on its way there.</summary>
    private async Task SignInAtUpstreamFormAsync(IPage page, UpstreamAccount person)
    {
        try
        {
            await page.WaitForURLAsync(url => url.StartsWith(server.Upstream.Issuer + "/", StringComparison.Ordinal));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"The browser did not reach the upstream ({server.Upstream.Issuer}); it is at {page.Url}.", ex);
        }

        await page.FillAsync("#upstream-login", person.Login);
        await page.FillAsync("#upstream-password", "any password: the upstream's accounts take any");
        await page.ClickAsync("#upstream-submit");
    }

    /// <summary>The client's side: the code on its callback (with its state) redeemed at the token endpoint; the ID token's payload.</summary>
    private async Task<JsonElement> RedeemAsync(IPage page, string state, string verifier)
    {
        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.Equal(state, query["state"].ToString());
        var (status, body, raw) = await server.RedeemAsync(query["code"].ToString(), verifier);
        Assert.True(status == 200, $"The token endpoint answered {status}: {raw}");
        var idToken = BrowserFlowServer.JwtPayload(body.GetProperty("id_token").GetString()!);
        Assert.Equal(server.Issuer, idToken.GetProperty("iss").GetString());
        return idToken;
    }

    private static IEnumerable<string?> Amr(JsonElement idToken) => idToken.GetProperty("amr").EnumerateArray().Select(v => v.GetString());
}
