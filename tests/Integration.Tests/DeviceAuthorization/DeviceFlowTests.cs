using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Domain.Users;
using AuthService.Domain.Common;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.DeviceAuthorization;

/// <summary>
/// A server on a clock the tests move (no test waits for an interval), with the sign-in users and clients plus device
/// clients: DT (public, device grant + refresh), DS (confidential, device grant), DO (public, another device client).
/// </summary>
public sealed class DeviceFlowFixture : IAsyncLifetime
{
    public const string DT = "DT";
    public const string DS = "DS";
    public const string DSSecret = "ds-secret-0123456789abcdef";
    public const string DO = "DO";
    public const string DJ = "DJ";
    public const int FailuresPerAddress = 3;

    private TestDatabase _database = null!;

    /// <summary>DJ's key: it authenticates with private_key_jwt (RFC 7523).</summary>
    public System.Security.Cryptography.ECDsa Key { get; } = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

    public ClockedServer Server { get; private set; } = null!;

    public TestDatabase Database => _database;

    public HttpClient Client => Server.Client;

    public async Task InitializeAsync()
    {
        var seed = SignInClients.SeedDocument();
        var clients = seed["clients"]!.AsArray();
        const string device = "urn:ietf:params:oauth:grant-type:device_code";
        var dt = TestClients.Client(DT, null, "none", [device, "refresh_token"], "openid profile offline_access api.read");
        dt["client_name"] = "Living-room TV";
        clients.Add(dt);
        clients.Add(TestClients.Client(DS, DSSecret, "client_secret_basic", [device], "openid api.read"));
        clients.Add(TestClients.Client(DO, null, "none", [device], "openid api.read"));
        var dj = TestClients.Client(DJ, null, "private_key_jwt", [device], "openid api.read");
        var jwk = Jose.PublicJwk(Key);
        jwk["kid"] = "dj-1";
        dj["jwks"] = new JsonObject { ["keys"] = new JsonArray(jwk) };
        clients.Add(dj);
        _database = await TestDatabase.CreateAsync();
        Server = await ClockedServer.StartAsync(_database, new Dictionary<string, string?>
        {
            ["Auth:DeviceAuthorization:UserCodeFailuresPerAddress"] = FailuresPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, seedJson: seed.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _database.DisposeAsync();
    }

    public Browser NewBrowser() => new(Server.Factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    }));

    /// <summary>Past every polling interval a test may have grown (and past the code-guessing window when asked).</summary>
    public void Advance(TimeSpan by) => Server.Clock.Advance(by);
}

/// <summary>
/// The device authorization grant (RFC 8628) through the real pipeline on PostgreSQL: the device authorization
/// endpoint (§3.1, §3.2), the verification page (§3.3, §5.4; sign-in, consent, anti-forgery, code guessing throttled,
/// §5.1) and the token endpoint's polling answers (§3.4, §3.5), with the attacks: another client's code, a racing
/// redemption, a forged decision, a user disabled after approving.
/// </summary>
public sealed class DeviceFlowTests(DeviceFlowFixture fixture) : IClassFixture<DeviceFlowFixture>
{
    private const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private Task<HttpResponseMessage> RequestAsync(string clientId, string? secret, string scope, string? resource = null)
    {
        var form = new Dictionary<string, string> { ["scope"] = scope };
        if (resource is not null)
        {
            form["resource"] = resource;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/deviceauthorization");
        if (secret is null)
        {
            form["client_id"] = clientId;
        }
        else
        {
            request.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        }

        request.Content = new FormUrlEncodedContent(form);
        return fixture.Client.SendAsync(request);
    }

    private async Task<JsonElement> StartAsync(string clientId = DeviceFlowFixture.DT, string? secret = null, string scope = "openid profile offline_access api.read")
    {
        var response = await RequestAsync(clientId, secret, scope);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<HttpResponseMessage> PollAsync(string deviceCode, string clientId = DeviceFlowFixture.DT, string? secret = null) =>
        CodeFlowTokens.PostAsync(fixture.Client, clientId, secret, new Dictionary<string, string> { ["grant_type"] = DeviceGrant, ["device_code"] = deviceCode });

    /// <summary>Opens <c>verification_uri_complete</c> in a new browser, signs in, and allows or denies on the consent page.</summary>
    private async Task<string> DecideAsync(JsonElement started, bool allow, string username = SignInClients.AliceUsername, string password = SignInClients.AlicePassword)
    {
        using var browser = fixture.NewBrowser();
        var consent = await SignInAtDeviceAsync(browser, started.GetProperty("verification_uri_complete").GetString()!, username, password);
        var decided = await browser.SubmitAsync(consent, new Dictionary<string, string> { ["decision"] = allow ? "allow" : "deny" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        return await decided.Content.ReadAsStringAsync();
    }

    private static async Task<string> SignInAtDeviceAsync(Browser browser, string url, string username, string password)
    {
        var login = await browser.GetAsync(url);
        var loginPage = await login.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("Sign in", loginPage, StringComparison.Ordinal);
        var signedIn = await browser.SignInAsync(loginPage, username, password);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var consent = await browser.FollowAsync(signedIn);
        var page = await consent.Content.ReadAsStringAsync();
        Assert.True(consent.StatusCode == HttpStatusCode.OK, page);
        return page;
    }

    [Fact]
    public async Task A_public_client_gets_a_device_code_a_user_code_and_the_verification_uris()
    {
        var response = await RequestAsync(DeviceFlowFixture.DT, null, "openid api.read");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(43, body.GetProperty("device_code").GetString()!.Length);
        var userCode = body.GetProperty("user_code").GetString()!;
        Assert.Matches("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$", userCode);
        Assert.Equal(TestClients.Issuer + "/device", body.GetProperty("verification_uri").GetString());
        Assert.Equal(TestClients.Issuer + "/device?user_code=" + userCode, body.GetProperty("verification_uri_complete").GetString());
        Assert.Equal(600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(5, body.GetProperty("interval").GetInt32());
    }

    [Fact]
    public async Task Discovery_advertises_the_endpoint_and_the_grant()
    {
        var discovery = JsonDocument.Parse(await fixture.Client.GetStringAsync("/.well-known/openid-configuration")).RootElement;

        Assert.Equal(TestClients.Issuer + "/connect/deviceauthorization", discovery.GetProperty("device_authorization_endpoint").GetString());
        Assert.Contains(DeviceGrant, discovery.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public async Task Pending_then_allowed_in_the_browser_then_tokens_once_with_sid_auth_time_and_a_working_refresh_token()
    {
        var started = await StartAsync();
        var deviceCode = started.GetProperty("device_code").GetString()!;
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode), HttpStatusCode.BadRequest, "authorization_pending");

        using var browser = fixture.NewBrowser();
        var consent = await SignInAtDeviceAsync(browser, started.GetProperty("verification_uri_complete").GetString()!, SignInClients.AliceUsername, SignInClients.AlicePassword);
        Assert.Contains("Living-room TV", consent, StringComparison.Ordinal);
        Assert.Contains(started.GetProperty("user_code").GetString()!, consent, StringComparison.Ordinal);
        Assert.Contains("Only continue if you started this on a device you have with you", consent, StringComparison.Ordinal);
        Assert.Contains("Stay connected when you are not using the application", consent, StringComparison.Ordinal);
        var decided = await browser.SubmitAsync(consent, new Dictionary<string, string> { ["decision"] = "allow" });
        Assert.Contains("You may return to your device", await decided.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        fixture.Advance(Interval);
        var tokens = await OAuthAssert.TokenSuccessAsync(await PollAsync(deviceCode), codeFlow: true);
        Assert.Equal(["api.read", "offline_access", "openid", "profile"], OAuthAssert.ScopeSet(tokens));
        var idToken = Jose.Payload(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(DeviceFlowFixture.DT, idToken["aud"]!.GetValue<string>());
        Assert.NotNull(idToken["sid"]);
        Assert.NotNull(idToken["auth_time"]);
        Assert.Null(idToken["nonce"]);
        var access = Jose.Payload(tokens.GetProperty("access_token").GetString()!);
        Assert.Equal(idToken["sub"]!.GetValue<string>(), access["sub"]!.GetValue<string>());

        // Redeemed once: a later poll is invalid_grant.
        fixture.Advance(Interval);
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode), HttpStatusCode.BadRequest, "invalid_grant");

        var refreshed = await CodeFlowTokens.RefreshAsync(fixture.Client, DeviceFlowFixture.DT, null, tokens.GetProperty("refresh_token").GetString()!);
        await OAuthAssert.TokenSuccessAsync(refreshed, codeFlow: true);

        Assert.True(await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_entries WHERE event_type IN ('device_authorization.approved', 'device_authorization.redeemed')") >= 2);
    }

    [Fact]
    public async Task Polling_faster_than_the_interval_is_slow_down_and_the_interval_grows_by_5_seconds()
    {
        var deviceCode = (await StartAsync()).GetProperty("device_code").GetString()!;
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode), HttpStatusCode.BadRequest, "authorization_pending");
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode), HttpStatusCode.BadRequest, "slow_down");

        // The interval is now 10 s: 5 s later is still too soon.
        fixture.Advance(Interval);
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode), HttpStatusCode.BadRequest, "slow_down");

        fixture.Advance(TimeSpan.FromSeconds(15));
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode), HttpStatusCode.BadRequest, "authorization_pending");
    }

    [Fact]
    public async Task Denied_in_the_browser_is_access_denied()
    {
        var started = await StartAsync();
        var page = await DecideAsync(started, allow: false);
        Assert.Contains("You denied the request", page, StringComparison.Ordinal);

        await OAuthAssert.TokenErrorAsync(await PollAsync(started.GetProperty("device_code").GetString()!), HttpStatusCode.BadRequest, "access_denied");
    }

    [Fact]
    public async Task An_expired_code_is_expired_token_and_can_no_longer_be_entered()
    {
        var started = await StartAsync();
        fixture.Advance(TimeSpan.FromMinutes(10));

        await OAuthAssert.TokenErrorAsync(await PollAsync(started.GetProperty("device_code").GetString()!), HttpStatusCode.BadRequest, "expired_token");
        using var browser = fixture.NewBrowser();
        var login = await browser.GetAsync(started.GetProperty("verification_uri_complete").GetString()!);
        var signedIn = await browser.FollowAsync(await browser.SignInAsync(await login.Content.ReadAsStringAsync(), SignInClients.AliceUsername, SignInClients.AlicePassword));
        Assert.Equal(HttpStatusCode.BadRequest, signedIn.StatusCode);
        Assert.Contains("not valid, has expired", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_clients_poll_is_invalid_grant_and_changes_nothing()
    {
        var started = await StartAsync();
        var deviceCode = started.GetProperty("device_code").GetString()!;

        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode, DeviceFlowFixture.DO), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode, DeviceFlowFixture.DS, DeviceFlowFixture.DSSecret), HttpStatusCode.BadRequest, "invalid_grant");

        // Neither counted as the owner's poll: no slow_down for it.
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode), HttpStatusCode.BadRequest, "authorization_pending");
    }

    [Fact]
    public async Task Racing_polls_on_an_allowed_code_give_tokens_once()
    {
        var started = await StartAsync();
        await DecideAsync(started, allow: true);
        fixture.Advance(Interval);

        var deviceCode = started.GetProperty("device_code").GetString()!;
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PollAsync(deviceCode)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            var error = (await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_grant")).GetProperty("error").GetString();
            Assert.Equal("invalid_grant", error);
        }
    }

    [Fact]
    public async Task A_user_disabled_after_allowing_gets_no_tokens()
    {
        var started = await StartAsync();
        await DecideAsync(started, allow: true, SignInClients.BobUsername, SignInClients.BobPassword);
        await using (var scope = fixture.Server.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<IUserRepository>();
            var bob = (await users.FindByNormalizedUsernameAsync(User.Normalize(SignInClients.BobUsername), CancellationToken.None))!;
            Assert.True(bob.Disable(Guid.NewGuid().ToString("N"), fixture.Server.Clock.GetUtcNow()));
            await scope.ServiceProvider.GetRequiredService<Domain.Common.IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }

        fixture.Advance(Interval);
        await OAuthAssert.TokenErrorAsync(await PollAsync(started.GetProperty("device_code").GetString()!), HttpStatusCode.BadRequest, "invalid_grant");
    }

    // CVE-2026-9798: once locked out, no path mints tokens for the user, the device grant included.
    [Fact]
    public async Task A_user_locked_out_after_allowing_gets_no_tokens()
    {
        var started = await StartAsync();
        await DecideAsync(started, allow: true, SignInClients.BobUsername, SignInClients.BobPassword);
        await using (var scope = fixture.Server.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<IUserRepository>();
            var bob = (await users.FindByNormalizedUsernameAsync(User.Normalize(SignInClients.BobUsername), CancellationToken.None))!;
            var now = fixture.Server.Clock.GetUtcNow();
            for (var i = 0; i < 50 && !bob.IsLockedOut(now); i++)
            {
                bob.RecordFailedLogin(now, LockoutPolicy.Default);
            }

            Assert.True(bob.IsLockedOut(now));
            await scope.ServiceProvider.GetRequiredService<Domain.Common.IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        }

        fixture.Advance(Interval);
        await OAuthAssert.TokenErrorAsync(await PollAsync(started.GetProperty("device_code").GetString()!), HttpStatusCode.BadRequest, "invalid_grant");
        fixture.Advance(TimeSpan.FromHours(2)); // past the lockout, for the tests that sign bob in
    }

    // A device code is not an authorization code: one-time artefacts are not interchangeable.
    [Fact]
    public async Task A_device_code_presented_as_an_authorization_code_is_invalid_grant()
    {
        var started = await StartAsync();
        await DecideAsync(started, allow: true);
        fixture.Advance(Interval);

        var response = await CodeFlowTokens.RedeemAsync(fixture.Client, DeviceFlowFixture.DT, null, started.GetProperty("device_code").GetString()!,
            PkcePair.New().Verifier, "http://127.0.0.1/cb");
        await OAuthAssert.TokenErrorAsync(response, HttpStatusCode.BadRequest, "unauthorized_client");
        var asCode = await CodeFlowTokens.RedeemAsync(fixture.Client, SignInClients.PN, null, started.GetProperty("device_code").GetString()!,
            PkcePair.New().Verifier, SignInClients.PNRedirect);
        await OAuthAssert.TokenErrorAsync(asCode, HttpStatusCode.BadRequest, "invalid_grant");

        // Still redeemable by its device.
        await OAuthAssert.TokenSuccessAsync(await PollAsync(started.GetProperty("device_code").GetString()!), codeFlow: true);
    }

    // RFC 9700 §4.16: the verification page cannot be framed, is not cached, and allows only its own forms.
    [Fact]
    public async Task The_verification_page_carries_the_pages_security_headers()
    {
        using var browser = fixture.NewBrowser();
        var page = await browser.GetAsync("/device");

        OAuthAssert.SecurityHeaders(page);
        Assert.Equal("no-store", page.Header("Cache-Control"));
        Assert.Contains("form-action 'self'", page.Header("Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decision_posted_without_the_anti_forgery_token_changes_nothing()
    {
        var started = await StartAsync();
        using var browser = fixture.NewBrowser();
        var consent = await SignInAtDeviceAsync(browser, started.GetProperty("verification_uri_complete").GetString()!, SignInClients.AliceUsername, SignInClients.AlicePassword);

        // A cross-site form post carries the session cookie at most, never the token (another site cannot read it).
        var forged = await browser.Http.PostAsync("/device", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["user_code"] = started.GetProperty("user_code").GetString()!,
            ["decision"] = "allow",
            ["csrf_token"] = new string('A', 43),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("<h1>Something went wrong</h1>", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("csrf_token", consent, StringComparison.Ordinal);

        await OAuthAssert.TokenErrorAsync(await PollAsync(started.GetProperty("device_code").GetString()!), HttpStatusCode.BadRequest, "authorization_pending");
    }

    [Fact]
    public async Task Guessing_user_codes_is_throttled_per_address()
    {
        var started = await StartAsync();
        using var browser = fixture.NewBrowser();
        await SignInAtDeviceAsync(browser, "/device", SignInClients.AliceUsername, SignInClients.AlicePassword);
        try
        {
            for (var i = 0; i < DeviceFlowFixture.FailuresPerAddress; i++)
            {
                var wrong = await browser.GetAsync("/device?user_code=BBBB-BBBB");
                Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
                Assert.Contains("not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // Now even the right code is not looked up.
            var throttled = await browser.GetAsync(started.GetProperty("verification_uri_complete").GetString()!);
            var page = await throttled.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, throttled.StatusCode);
            Assert.Contains("Too many wrong codes", page, StringComparison.Ordinal);
            Assert.DoesNotContain("decision", page, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Advance(TimeSpan.FromMinutes(16));
        }
    }

    [Fact]
    public async Task An_unknown_scope_is_invalid_scope_and_a_client_without_the_grant_is_unauthorized_client()
    {
        await OAuthAssert.TokenErrorAsync(await RequestAsync(DeviceFlowFixture.DT, null, "openid admin"), HttpStatusCode.BadRequest, "invalid_scope");
        await OAuthAssert.TokenErrorAsync(await RequestAsync(DeviceFlowFixture.DT, null, ""), HttpStatusCode.BadRequest, "invalid_scope");
        await OAuthAssert.TokenErrorAsync(await RequestAsync(SignInClients.PN, null, "openid"), HttpStatusCode.BadRequest, "unauthorized_client");
        await OAuthAssert.TokenErrorAsync(await RequestAsync(TestClients.C1, TestClients.C1Secret, "api.read"), HttpStatusCode.BadRequest, "unauthorized_client");
        await OAuthAssert.TokenErrorAsync(await RequestAsync(DeviceFlowFixture.DT, null, "openid", "https://unknown.example/api"), HttpStatusCode.BadRequest, "invalid_target");
    }

    [Fact]
    public async Task A_confidential_client_authenticates_and_a_wrong_secret_is_invalid_client()
    {
        await OAuthAssert.TokenErrorAsync(await RequestAsync(DeviceFlowFixture.DS, "wrong-secret-0123456789", "openid"), HttpStatusCode.Unauthorized, "invalid_client");
        var started = await StartAsync(DeviceFlowFixture.DS, DeviceFlowFixture.DSSecret, "openid api.read");

        var deviceCode = started.GetProperty("device_code").GetString()!;
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode, DeviceFlowFixture.DS, "wrong-secret-0123456789"), HttpStatusCode.Unauthorized, "invalid_client");
        await OAuthAssert.TokenErrorAsync(await PollAsync(deviceCode, DeviceFlowFixture.DS, DeviceFlowFixture.DSSecret), HttpStatusCode.BadRequest, "authorization_pending");
    }

    // RFC 8628 §3.1: client authentication as at the token endpoint, private_key_jwt included (RFC 7523 §2.2).
    [Fact]
    public async Task A_client_authenticating_with_private_key_jwt_requests_and_polls()
    {
        (string, string)[] Assertion()
        {
            var now = fixture.Server.Clock.GetUtcNow().ToUnixTimeSeconds();
            var claims = new JsonObject
            {
                ["iss"] = DeviceFlowFixture.DJ, ["sub"] = DeviceFlowFixture.DJ, ["aud"] = TestClients.Issuer,
                ["jti"] = Guid.NewGuid().ToString("N"), ["iat"] = now, ["exp"] = now + 60,
            };
            var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(claims.ToJsonString(),
                new Microsoft.IdentityModel.Tokens.SigningCredentials(new Microsoft.IdentityModel.Tokens.ECDsaSecurityKey(fixture.Key) { KeyId = "dj-1" }, "ES256"));
            return [("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", jwt)];
        }

        var started = await fixture.Client.PostAsync("/connect/deviceauthorization", new FormUrlEncodedContent(
            [new("scope", "openid"), .. Assertion().Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2))]));
        var body = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement;
        Assert.True(started.StatusCode == HttpStatusCode.OK, body.ToString());

        var poll = await fixture.Client.PostAsync("/connect/token", new FormUrlEncodedContent(
            [new("grant_type", DeviceGrant), new("device_code", body.GetProperty("device_code").GetString()!),
             .. Assertion().Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2))]));
        await OAuthAssert.TokenErrorAsync(poll, HttpStatusCode.BadRequest, "authorization_pending");

        // Without an assertion, the client cannot name itself as a public client (RFC 6749 §5.2: 400, as no Authorization header was used).
        await OAuthAssert.TokenErrorAsync(await RequestAsync(DeviceFlowFixture.DJ, null, "openid"), HttpStatusCode.BadRequest, "invalid_client");
    }

    [Fact]
    public async Task A_missing_or_unknown_device_code_is_refused()
    {
        await OAuthAssert.TokenErrorAsync(await CodeFlowTokens.PostAsync(fixture.Client, DeviceFlowFixture.DT, null,
            new Dictionary<string, string> { ["grant_type"] = DeviceGrant }), HttpStatusCode.BadRequest, "invalid_request");
        await OAuthAssert.TokenErrorAsync(await PollAsync(new string('x', 43)), HttpStatusCode.BadRequest, "invalid_grant");
        await OAuthAssert.TokenErrorAsync(await PollAsync("short"), HttpStatusCode.BadRequest, "invalid_grant");
    }
}
