using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Account;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using OtpNet;

namespace AuthService.Integration.Tests.SecondFactors;

/// <summary>
/// A server on a clock the tests move (a TOTP code is accepted once per 30-second step, so each use moves the clock a
/// step on instead of waiting), with the sign-in clients, the admin client, the members of <see cref="AuthorizeSeed"/>
/// the device client DT, and the clients of the second-factor policy (docs/adr/0032): MF (<c>require_mfa</c>), MD
/// (<c>default_acr_values</c> naming the mfa level), both first-party web clients, and the device client DM (<c>require_mfa</c>).
/// </summary>
public sealed class SecondFactorFixture : IAsyncLifetime
{
    public const string DT = "DT";

    public const string MF = "MF";
    public const string MD = "MD";
    public const string DM = "DM";
    public const string PolicyClientSecret = "policy-secret-0123456789abcdef";
    public const string MFRedirect = "https://mf.example/cb";
    public const string MDRedirect = "https://md.example/cb";

    private TestDatabase _database = null!;

    public ClockedServer Server { get; private set; } = null!;

    public HttpClient Client => Server.Client;

    public async Task InitializeAsync()
    {
        var seed = AdminClients.SeedDocument();
        seed["clients"]!.AsArray().Add(TestClients.Client(DT, null, "none", ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
            "openid profile offline_access api.read"));
        seed["clients"]!.AsArray().Add(PolicyClient(MF, MFRedirect, client => client["require_mfa"] = true));
        seed["clients"]!.AsArray().Add(PolicyClient(MD, MDRedirect, client => client["default_acr_values"] = new JsonArray("urn:authservice:acr:mfa")));
        var deviceClient = TestClients.Client(DM, null, "none", ["urn:ietf:params:oauth:grant-type:device_code"], "openid api.read");
        deviceClient["require_mfa"] = true;
        seed["clients"]!.AsArray().Add(deviceClient);
        var users = seed["users"]!.AsArray();
        foreach (var member in AuthorizeSeed.Members)
        {
            users.Add(new JsonObject { ["username"] = member, ["email"] = AuthorizeSeed.Email(member), ["name"] = "Member " + member, ["password"] = AuthorizeSeed.Password });
        }

        _database = await TestDatabase.CreateAsync();
        Server = await ClockedServer.StartAsync(_database, seedJson: seed.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A confidential first-party web client (no consent page) with the policy <paramref name="configure"/> sets.</summary>
    private static JsonObject PolicyClient(string clientId, string redirectUri, Action<JsonObject> configure)
    {
        var client = TestClients.Client(clientId, PolicyClientSecret, "client_secret_basic", ["authorization_code", "refresh_token"],
            "openid offline_access api.read", redirectUris: [redirectUri]);
        client["require_consent"] = false;
        configure(client);
        return client;
    }

    public Browser NewBrowser() => CodeGrantSupport.NewBrowser(Server.Factory);

    /// <summary>Moves the clock to the next 30-second TOTP step, so the next code is one not used yet.</summary>
    public void NextStep() => Server.Clock.Advance(TimeSpan.FromSeconds(30));

    /// <summary>The authenticator app: the RFC 6238 code of <paramref name="secret"/> (base32, as the page shows it) at the server's now.</summary>
    public string CodeOf(string secret) =>
        new Totp(Base32Encoding.ToBytes(secret.Replace(" ", "", StringComparison.Ordinal))).ComputeTotp(Server.Clock.GetUtcNow().UtcDateTime);

    /// <summary>The id of <paramref name="username"/>, from the admin API.</summary>
    public async Task<string> UserIdAsync(HttpClient admin, string username)
    {
        using var response = await admin.GetAsync("/admin/users?q=" + username);
        return (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Single(u => u.GetProperty("username").GetString() == username).GetProperty("id").GetString()!;
    }

    /// <summary>Starts a device authorization of client DT (RFC 8628 §3.1); returns its JSON answer.</summary>
    public async Task<JsonElement> StartDeviceAuthorizationAsync(string scope)
    {
        using var started = await Client.PostAsync("/connect/deviceauthorization",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = DT, ["scope"] = scope }));
        return JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The device's token request once the person allowed it (RFC 8628 §3.4); returns the ID token's payload.</summary>
    public async Task<JsonObject> DeviceIdTokenAsync(JsonElement device)
    {
        using var polled = await CodeFlowTokens.PostAsync(Client, DT, null, new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = device.GetProperty("device_code").GetString()!,
        });
        return Jose.Payload(GrantTokens.From(await OAuthAssert.TokenSuccessAsync(polled, codeFlow: true)).IdToken!);
    }

    /// <summary>An HTTP client of this server with a fresh admin token.</summary>
    public async Task<HttpClient> AdminAsync()
    {
        var token = (await OAuthAssert.TokenSuccessAsync(await Client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret))))
            .GetProperty("access_token").GetString()!;
        var http = Server.Factory.CreateClient(new() { AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}

/// <summary>Driving <c>/account/security</c> and the second step of the sign-in forms.</summary>
internal static partial class SecondFactorTesting
{
    public const string SecurityPath = "/account/security";
    public const string PendingCookie = "__Host-authservice-pending";

    /// <summary>Signs <paramref name="member"/> in to the account page, adds an authenticator app and confirms it; returns the secret read from the page.</summary>
    public static Task<string> EnrolAsync(SecondFactorFixture server, Browser browser, string member) =>
        EnrolAsync(browser, member, server.CodeOf, server.NextStep);

    /// <summary>As above, on any server: <paramref name="codeOf"/> is the authenticator app at the server's now, <paramref name="nextStep"/> moves its clock a step on.</summary>
    public static async Task<string> EnrolAsync(Browser browser, string member, Func<string, string> codeOf, Action nextStep)
    {
        await AccountAppsTests.SignInToAccountAsync(browser, member);
        var page = await SecurityPageAsync(browser);
        using var begun = await AccountPageTesting.PostAsync(browser, page, SecurityPath + "/totp");
        Assert.Equal(SecurityPath + "?status=totp-started", begun.Headers.Location?.OriginalString);
        var enrolling = await SecurityPageAsync(browser, begun.Headers.Location!.OriginalString);
        var secret = WebUtility.HtmlDecode(Secret().Match(enrolling).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(secret), enrolling);
        using var confirmed = await AccountPageTesting.PostAsync(browser, enrolling, SecurityPath + "/totp/confirm", ("code", codeOf(secret)));
        Assert.True(confirmed.StatusCode == HttpStatusCode.SeeOther, await confirmed.Content.ReadAsStringAsync());
        Assert.Equal(SecurityPath + "?status=totp-enrolled", confirmed.Headers.Location?.OriginalString);
        nextStep();
        return secret;
    }

    /// <summary>GET the security page (200, no-store, CSP), returning its HTML.</summary>
    public static async Task<string> SecurityPageAsync(Browser browser, string path = SecurityPath)
    {
        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.Headers.Location}: {html}");
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("frame-ancestors 'none'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        return html;
    }

    /// <summary>Asserts the second-factor form: 200 (or 400 after a failure) with the code field and no session cookie set.</summary>
    public static async Task<string> AssertSecondFactorPageAsync(HttpResponseMessage response, bool failed = false)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == (failed ? HttpStatusCode.BadRequest : HttpStatusCode.OK), $"{(int)response.StatusCode} {response.Headers.Location}: {html}");
        Assert.Contains("<label for=\"code\">", html, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"one-time-code\"", html, StringComparison.Ordinal);
        Assert.Equal(failed, html.Contains("role=\"alert\"", StringComparison.Ordinal));
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith(AuthorizeSeed.SessionCookie + "=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        return html;
    }

    public static Task<HttpResponseMessage> SubmitCodeAsync(Browser browser, string page, string code) =>
        browser.SubmitAsync(page, new Dictionary<string, string> { ["code"] = code });

    /// <summary>The new backup codes of the one-time page, as shown (with dashes).</summary>
    public static IReadOnlyList<string> BackupCodes(string html) => [.. BackupCode().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("<code id=\"totp-secret\">([^<]*)</code>")]
    private static partial Regex Secret();

    [GeneratedRegex("<li><code>([A-Z0-9-]+)</code></li>")]
    private static partial Regex BackupCode();
}
