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
/// process, <see cref="OidcUpstream"/>) registered through the admin API as provider "up" once the server's address is
/// known (the upstream needs the callback as its client's redirect URI), with auto-provisioning on.
/// </summary>
public sealed class FederationBrowserServer : BrowserFlowServer, IAsyncLifetime
{
    public const string Provider = "up";
    private const string AdminClient = "FADM";
    private const string AdminSecret = "fadm-secret-0123456789abcdef";

    public OidcUpstream Upstream { get; private set; } = null!;

    protected override void ExtendSeed(JsonObject seed) => seed["clients"]!.AsArray().Add(new JsonObject
    {
        ["client_id"] = AdminClient,
        ["client_secret"] = AdminSecret,
        ["token_endpoint_auth_method"] = "client_secret_basic",
        ["grant_types"] = new JsonArray("client_credentials"),
        ["scope"] = "admin",
    });

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Upstream = await OidcUpstream.StartAsync([$"{Issuer}/account/external/{Provider}/callback"]);

        using var token = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "admin" }),
        };
        token.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{AdminClient}:{AdminSecret}")));
        using var issued = await Http.SendAsync(token);
        var accessToken = JsonDocument.Parse(await issued.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();

        using var create = new HttpRequestMessage(HttpMethod.Post, "/admin/external-providers")
        {
            Content = JsonContent.Create(new Dictionary<string, object>
            {
                ["name"] = Provider, ["display_name"] = "Upstream IdP", ["issuer"] = Upstream.Issuer, ["client_id"] = OidcUpstream.ClientId,
                ["client_secret"] = OidcUpstream.ClientSecret, ["auto_provision"] = true, ["trust_email_verified"] = true,
            }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var created = await Http.SendAsync(create);
        Assert.True(created.IsSuccessStatusCode, $"{(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
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
/// callback, consent, the client's code, and an ID token with the local <c>sub</c> and <c>amr</c> <c>fed</c> plus the
/// upstream's. The browser enforces every page's CSP, including <c>form-action</c> over the redirects that follow a form
/// post, which HTTP-level tests cannot see.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ChromiumFederationTests(FederationBrowserServer server) : IClassFixture<FederationBrowserServer>
{
    [Fact]
    public async Task A_person_signs_in_with_the_upstream_is_provisioned_and_the_client_gets_the_local_sub_and_amr_fed()
    {
        await using var chromium = await ChromiumSession.LaunchAsync();
        var page = chromium.Page;
        var (verifier, challenge) = BrowserFlowServer.NewPkce();

        await page.GotoAsync(server.AuthorizeUrl("openid profile email", "s1", "n1", challenge));
        await page.Locator("#external-" + FederationBrowserServer.Provider).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(server.Upstream.Issuer + "/", StringComparison.Ordinal));
        await page.FillAsync("#upstream-login", OidcUpstream.Ann.Login);
        await page.FillAsync("#upstream-password", "any password: the upstream's accounts take any");
        await page.ClickAsync("#upstream-submit");
        await page.Locator("h1", new() { HasText = "Allow access?" }).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(server.Callback.RedirectUri + "?", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });

        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.Equal("s1", query["state"].ToString());
        var (status, body, raw) = await server.RedeemAsync(query["code"].ToString(), verifier);
        Assert.True(status == 200, $"The token endpoint answered {status}: {raw}");
        var idToken = BrowserFlowServer.JwtPayload(body.GetProperty("id_token").GetString()!);
        Assert.Equal(server.Issuer, idToken.GetProperty("iss").GetString());
        Assert.True(Guid.TryParse(idToken.GetProperty("sub").GetString(), out _), "The client sees the local sub, not the upstream's.");
        Assert.Equal(["fed", .. OidcUpstream.Methods], idToken.GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
        Assert.True(chromium.ConsoleErrors.Count == 0, "The browser console has errors:\n" + string.Join("\n", chromium.ConsoleErrors));
    }
}
