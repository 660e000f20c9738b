using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Federation.Upstreams;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// A server with the sign-in fixtures and upstream providers, all at one real upstream OpenID Provider (oidc-provider,
/// <see cref="OidcUpstream"/>) started first so its issuer can go into the seed file: <c>up</c> and <c>upb</c> (trusted
/// addresses, provisioning), <c>closed</c> (no provisioning, and reads no address: a first sign-in has no account to go
/// to), <c>corp</c> (only verified addresses at corp.example), <c>off</c> (disabled) and <c>down</c> (an issuer where
/// nothing listens); and <c>github</c>, the GitHub preset at <see cref="FakeGitHub"/> (trusted addresses, provisioning). Local accounts
/// <c>ned</c> (the upstream Ned's address), <c>uma-local</c> (the upstream Uma's, unverified) and <c>una-local</c> (the address GitHub's
/// <see cref="FakeGitHub.Unverified"/> has, unverified there, verified here).
/// </summary>
public sealed partial class FederationFlowFixture : SignInFixture, IAsyncLifetime
{
    public const string NedPassword = "ned-local-password-0123";
    public const string UmaPassword = "uma-local-password-0123";
    public const string UnaPassword = "una-local-password-0123";
    public const string GitHubProvider = "github";

    private static readonly string[] ProviderNames = ["up", "upb", "closed", "corp", "off", "down"];

    private string? _seed;

    public OidcUpstream Upstream { get; private set; } = null!;

    public FakeGitHub GitHub { get; private set; } = null!;

    protected override string SeedJson => _seed ?? throw new InvalidOperationException("The upstream starts first.");

    public static Uri CallbackOf(string provider) => new($"{TestClients.Issuer}/account/external/{provider}/callback");

    async Task IAsyncLifetime.InitializeAsync()
    {
        Upstream = await OidcUpstream.StartAsync([.. ProviderNames.Select(n => CallbackOf(n).AbsoluteUri)]);
        GitHub = new FakeGitHub(CallbackOf(GitHubProvider).AbsoluteUri);
        var seed = SignInClients.SeedDocument();
        seed["users"]!.AsArray().Add(new JsonObject
        {
            ["username"] = "ned", ["email"] = OidcUpstream.Ned.Email, ["email_verified"] = true, ["name"] = "Ned Local", ["password"] = NedPassword,
        });
        seed["users"]!.AsArray().Add(new JsonObject { ["username"] = "uma-local", ["email"] = OidcUpstream.Uma.Email, ["password"] = UmaPassword });
        seed["users"]!.AsArray().Add(new JsonObject
        {
            ["username"] = "una-local", ["email"] = FakeGitHub.Unverified.Emails[0].Email, ["email_verified"] = true, ["password"] = UnaPassword,
        });
        var nowhere = $"http://127.0.0.1:{ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture)}";
        seed["external_providers"] = new JsonArray(
            Provider("up", "Upstream", Upstream.Issuer),
            Provider("upb", "Upstream B", Upstream.Issuer),
            Provider("closed", "Closed", Upstream.Issuer, provision: false, claims: new JsonObject { ["email"] = "no_such_claim" }),
            Provider("corp", "Corp", Upstream.Issuer, domains: ["corp.example"]),
            Provider("off", "Off", Upstream.Issuer, enabled: false),
            Provider("down", "Down", nowhere),
            new JsonObject
            {
                ["name"] = GitHubProvider, ["display_name"] = "GitHub", ["preset"] = "github", ["client_id"] = FakeGitHub.ClientId,
                ["client_secret"] = FakeGitHub.ClientSecret, ["authorization_endpoint"] = GitHub.AuthorizationEndpoint, ["token_endpoint"] = GitHub.TokenEndpoint,
                ["userinfo_endpoint"] = GitHub.UserEndpoint, ["trust_email_verified"] = true, ["auto_provision"] = true,
            });
        _seed = seed.ToJsonString();
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }

        if (GitHub is not null)
        {
            await GitHub.DisposeAsync();
        }
    }

    private static JsonObject Provider(string name, string display, string issuer, bool provision = true, string[]? domains = null, bool enabled = true,
        JsonObject? claims = null)
    {
        var provider = new JsonObject
        {
            ["name"] = name, ["display_name"] = display, ["client_id"] = OidcUpstream.ClientId, ["client_secret"] = OidcUpstream.ClientSecret,
            ["protocol"] = "openid_connect", ["issuer"] = issuer, ["scopes"] = new JsonArray("openid", "email", "profile"),
            ["trust_email_verified"] = true, ["auto_provision"] = provision, ["enabled"] = enabled,
        };
        if (domains is not null)
        {
            provider["allowed_email_domains"] = new JsonArray([.. domains.Select(d => (JsonNode)d)]);
        }

        if (claims is not null)
        {
            provider["claims"] = claims;
        }

        return provider;
    }

    /// <summary>The authorization request of the first-party client CF, and its sign-in page (200) as HTML.</summary>
    public async Task<string> SignInPageAsync(Browser browser, PkcePair pkce, IReadOnlyDictionary<string, string>? extra = null)
    {
        using var start = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid email", pkce, extra: extra));
        return await AuthorizeTesting.AssertLoginPageAsync(start);
    }

    /// <summary>Posts the sign-in page's button of <paramref name="provider"/> (its own form: anti-forgery token, the carried request).</summary>
    public static async Task<HttpResponseMessage> PressAsync(Browser browser, string page, string provider)
    {
        var form = ButtonForm(page, provider);
        return await browser.Http.PostAsync(form.Action, new FormUrlEncodedContent(form.Fields));
    }

    /// <summary>The form of a provider's button: its action and hidden fields.</summary>
    public static (string Action, Dictionary<string, string> Fields) ButtonForm(string page, string provider)
    {
        var form = Forms().Matches(page).FirstOrDefault(m => m.Groups[2].Value.Contains($"id=\"external-{provider}\"", StringComparison.Ordinal));
        Assert.True(form is not null, $"No button for {provider}: {page}");
        return (WebUtility.HtmlDecode(form.Groups[1].Value), Browser.HiddenFields(form.Groups[2].Value));
    }

    /// <summary>Starts a round trip from CF's sign-in page: the 303 to the upstream's authorization endpoint.</summary>
    public async Task<Uri> StartAsync(Browser browser, string provider, PkcePair pkce)
    {
        using var pressed = await PressAsync(browser, await SignInPageAsync(browser, pkce), provider);
        var location = await OnwardAsync(pressed);
        Assert.StartsWith((provider == GitHubProvider ? GitHub.BaseAddress : Upstream.Issuer) + "/", location.AbsoluteUri, StringComparison.Ordinal);
        return location;
    }

    /// <summary>
    /// Where a provider button's, a callback's or the proof page's answer sends the browser: a page that navigates on by itself
    /// (a form post's redirects would answer to the posting page's CSP form-action), never a 303.
    /// </summary>
    public static async Task<Uri> OnwardAsync(HttpResponseMessage response)
    {
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK && response.Headers.Location is null, $"{(int)response.StatusCode}: {page}");
        var next = await Browser.NextAsync(response);
        Assert.True(next is not null, $"Not a continue page: {page}");
        return new Uri(next, UriKind.RelativeOrAbsolute);
    }

    /// <summary>The person signs in at the upstream as <paramref name="login"/>: the answer meant for <paramref name="provider"/>'s callback.</summary>
    public static Task<Dictionary<string, string>> AnswerAsync(Uri authorizationUrl, string login, string provider) =>
        OidcUpstream.SignInAsync(authorizationUrl, login, CallbackOf(provider));

    /// <summary>The answer delivered to <paramref name="provider"/>'s callback in <paramref name="browser"/> (GET with the query).</summary>
    public static Task<HttpResponseMessage> CallbackAsync(Browser browser, string provider, IReadOnlyDictionary<string, string> answer) =>
        browser.GetAsync(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString($"/account/external/{provider}/callback",
            answer.ToDictionary(p => p.Key, p => (string?)p.Value)));

    /// <summary>The client CF's ID token for the code of <paramref name="response"/> (303 to CF): its <c>sub</c> and <c>amr</c>.</summary>
    public async Task<(string Sub, string Amr)> SubAndAmrAsync(HttpResponseMessage response, PkcePair pkce)
    {
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther && response.Headers.Location!.OriginalString.StartsWith(SignInClients.CFRedirect, StringComparison.Ordinal),
            $"Expected 303 to the client, got {(int)response.StatusCode} ({response.Headers.Location}): {await response.Content.ReadAsStringAsync()}");
        using var redeemed = await CodeGrantSupport.RedeemAsync(Client, SignInClients.CF, Browser.ResponseParameters(response)["code"], pkce.Verifier,
            SignInClients.CFRedirect);
        var payload = Jose.Payload(GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true)).IdToken!);
        return (payload["sub"]!.GetValue<string>(), string.Join(' ', payload["amr"]!.AsArray().Select(v => v!.GetValue<string>())));
    }

    public Task<long> LinksAsync(string provider, string subject) =>
        Database.ScalarAsync<long>("SELECT count(*) FROM external_identities i JOIN external_providers p ON p.id = i.provider_id WHERE p.name = @p AND i.subject = @s",
            ("p", provider), ("s", subject));

    public Task<string> UserIdAsync(string username) =>
        Database.ScalarAsync<string>("SELECT id::text FROM users WHERE username = @u", ("u", username));

    public Task<long> RowsAsync(string table) => Database.ScalarAsync<long>($"SELECT count(*) FROM {table}");

    /// <summary>The anti-forgery token a page's forms carry.</summary>
    public static string CsrfToken(string page) => CsrfField().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException(page);

    [GeneratedRegex("name=\"csrf_token\" value=\"([^\"]*)\"")]
    private static partial Regex CsrfField();

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\">(.*?)</form>", RegexOptions.Singleline)]
    private static partial Regex Forms();
}
