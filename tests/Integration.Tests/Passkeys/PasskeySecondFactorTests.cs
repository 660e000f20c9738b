using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Account;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SecondFactors;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.SecondFactors.SecondFactorTesting;

namespace AuthService.Integration.Tests.Passkeys;

/// <summary>
/// A passkey as the second factor after the password (docs/adr/0035), through the real pipeline on PostgreSQL with
/// <see cref="SoftwareAuthenticator"/>: an account with a passkey and no authenticator app is asked for it on the second
/// step of all three sign-in forms; the assertion answers a challenge bound to that pending sign-in (WebAuthn L3
/// §13.4.3), user verification is only preferred, and the session says <c>pwd hwk mfa</c> (RFC 8176 §2). Refusals
/// (another person's credential, a bad signature, a replayed assertion, a challenge of another pending sign-in) count
/// as wrong codes do; step-up through <c>acr_values</c> accepts the passkey too.
/// </summary>
public sealed partial class PasskeySecondFactorTests(SecondFactorFixture server) : IClassFixture<SecondFactorFixture>
{
    private const string Scope = "openid offline_access api.read";

    /// <summary>The authorization flow of CF up to the answer of its password form, as <paramref name="member"/>.</summary>
    private static async Task<HttpResponseMessage> PasswordStepAsync(Browser browser, string member, PkcePair pkce, Dictionary<string, string>? extra = null)
    {
        using var start = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, Scope, pkce, extra: extra));
        return await browser.SignInAsync(await AuthorizeTesting.AssertLoginPageAsync(start), member, AuthorizeSeed.Password);
    }

    /// <summary>The second-step page of a person with a passkey only: the passkey link, no code field (200, or 400 after a failure).</summary>
    private static async Task<string> AssertPasskeyStepAsync(HttpResponseMessage response, bool failed = false)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == (failed ? HttpStatusCode.BadRequest : HttpStatusCode.OK), $"{(int)response.StatusCode} {response.Headers.Location}: {html}");
        Assert.Contains("id=\"passkey-second-factor\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"code\"", html, StringComparison.Ordinal);
        Assert.Equal(failed, html.Contains("role=\"alert\"", StringComparison.Ordinal));
        return html;
    }

    /// <summary>Opens the second step's passkey page (a ceremony for the browser's pending sign-in); returns its HTML.</summary>
    private static async Task<string> BeginAsync(Browser browser, string secondStep)
    {
        using var begun = await browser.GetAsync(WebUtility.HtmlDecode(PasskeyLink().Match(secondStep).Groups[1].Value));
        var ceremony = await begun.Content.ReadAsStringAsync();
        Assert.True(begun.StatusCode == HttpStatusCode.OK, $"{(int)begun.StatusCode} {begun.Headers.Location}: {ceremony}");
        PasskeyTests.AssertCeremonyPage(begun, ceremony);
        return ceremony;
    }

    private static Task<HttpResponseMessage> AnswerAsync(Browser browser, string ceremony, string credential) =>
        browser.SubmitAsync(ceremony, new Dictionary<string, string> { ["credential"] = credential });

    /// <summary>Follows the flow to the client's redirect and redeems the code; returns the ID token's payload.</summary>
    private async Task<JsonObject> IdTokenAsync(Browser browser, HttpResponseMessage answered, PkcePair pkce)
    {
        using var finished = await browser.FollowAsync(answered);
        Assert.True(finished.StatusCode == HttpStatusCode.SeeOther, $"{(int)finished.StatusCode}: {await finished.Content.ReadAsStringAsync()}");
        Assert.StartsWith(SignInClients.CFRedirect, finished.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var parameters = Browser.ResponseParameters(finished);
        using var redeemed = await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CF, parameters["code"], pkce.Verifier, SignInClients.CFRedirect);
        return Jose.Payload(GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true)).IdToken!);
    }

    private static void AssertPasskeyMfa(JsonObject payload, string keyMethod = "hwk")
    {
        Assert.Equal(["pwd", keyMethod, "mfa"], payload["amr"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("urn:authservice:acr:mfa", payload["acr"]!.GetValue<string>());
    }

    private async Task<IReadOnlyList<string>> FailureReasonsAsync(string member)
    {
        using var admin = await server.AdminAsync();
        var id = await server.UserIdAsync(admin, member);
        return [.. (await admin.AuditAsync($"subject={id}&event_type=user.sign_in_failed")).Select(e => e.ToString())];
    }

    [Fact] // RFC 8176 §2: the password, then the passkey (a hardware-bound key: hwk), two factors: mfa; OIDC Core §2 acr.
    public async Task A_password_sign_in_of_an_account_with_a_passkey_asks_for_it_and_the_id_token_says_pwd_hwk_mfa()
    {
        using var authenticator = new SoftwareAuthenticator();
        using (var registering = server.NewBrowser())
        {
            await PasskeyTests.RegisterAsync(registering, "m01", authenticator);
        }

        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        using var password = await PasswordStepAsync(browser, "m01", pkce);
        var ceremony = await BeginAsync(browser, await AssertPasskeyStepAsync(password));

        // WebAuthn L3 §5.5: the person is known, so allowCredentials names their passkey; UV is preferred, not required.
        var options = JsonNode.Parse(PasskeyTests.Options(ceremony))!;
        Assert.Equal("preferred", options["userVerification"]!.GetValue<string>());
        Assert.Equal(SoftwareAuthenticator.ToBase64Url(authenticator.CredentialId),
            Assert.Single(options["allowCredentials"]!.AsArray())!["id"]!.GetValue<string>());

        // A security key without a PIN (UP only): enough after the password.
        using var answered = await AnswerAsync(browser, ceremony, authenticator.Sign(PasskeyTests.Options(ceremony), userVerified: false));
        AssertPasskeyMfa(await IdTokenAsync(browser, answered, pkce));
    }

    [Fact] // WebAuthn L3 §7.2 step 5: only the pending person's credentials; refusals count as wrong codes (ASVS 6.3.1).
    public async Task Another_persons_passkey_or_a_bad_signature_is_refused_and_counted_until_the_pending_sign_in_is_void()
    {
        using var mine = new SoftwareAuthenticator();
        using var theirs = new SoftwareAuthenticator();
        using (var registering = server.NewBrowser())
        {
            await PasskeyTests.RegisterAsync(registering, "m02", mine);
        }

        using (var registering = server.NewBrowser())
        {
            await PasskeyTests.RegisterAsync(registering, "m03", theirs);
        }

        using var browser = server.NewBrowser();
        using var password = await PasswordStepAsync(browser, "m02", PkcePair.New());
        var step = await AssertPasskeyStepAsync(password);

        var ceremony = await BeginAsync(browser, step);
        using (var other = await AnswerAsync(browser, ceremony, theirs.Sign(PasskeyTests.Options(ceremony))))
        {
            step = await AssertPasskeyStepAsync(other, failed: true);
        }

        for (var attempt = 2; attempt < 5; attempt++)
        {
            ceremony = await BeginAsync(browser, step);
            using var forged = await AnswerAsync(browser, ceremony, mine.Sign(PasskeyTests.Options(ceremony), origin: "https://evil.test"));
            step = await AssertPasskeyStepAsync(forged, failed: true);
        }

        // The fifth refusal voids the pending sign-in and locks the account (LockoutPolicy): the password form again.
        ceremony = await BeginAsync(browser, step);
        using var last = await AnswerAsync(browser, ceremony, mine.Sign(PasskeyTests.Options(ceremony), origin: "https://evil.test"));
        Assert.Equal(HttpStatusCode.BadRequest, last.StatusCode);
        Assert.Contains("name=\"password\"", await last.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var locked = await PasswordStepAsync(server.NewBrowser(), "m02", PkcePair.New());
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);

        var reasons = await FailureReasonsAsync("m02");
        Assert.Contains(reasons, r => r.Contains("unknown_passkey", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("wrong_passkey_assertion", StringComparison.Ordinal));
    }

    [Fact] // WebAuthn L3 §13.4.3: a challenge answers one response, for the pending sign-in it was begun for.
    public async Task A_replayed_assertion_and_a_challenge_of_another_pending_sign_in_are_refused()
    {
        using var authenticator = new SoftwareAuthenticator();
        using (var registering = server.NewBrowser())
        {
            await PasskeyTests.RegisterAsync(registering, "m04", authenticator);
        }

        using var other = new SoftwareAuthenticator();
        using (var registering = server.NewBrowser())
        {
            await PasskeyTests.RegisterAsync(registering, "m05", other);
        }

        // A ceremony begun for one pending sign-in, answered after the browser started another one (the same person's).
        using var browser = server.NewBrowser();
        using (var first = await PasswordStepAsync(browser, "m04", PkcePair.New()))
        {
            var earlier = await BeginAsync(browser, await AssertPasskeyStepAsync(first));
            using var second = await PasswordStepAsync(browser, "m04", PkcePair.New());
            await AssertPasskeyStepAsync(second);
            using var crossed = await AnswerAsync(browser, earlier, authenticator.Sign(PasskeyTests.Options(earlier)));
            await AssertPasskeyStepAsync(crossed, failed: true);
        }

        // Another person's pending sign-in in the same browser: m05's ceremony is not m04's.
        using (var theirs = await PasswordStepAsync(browser, "m05", PkcePair.New()))
        {
            var theirCeremony = await BeginAsync(browser, await AssertPasskeyStepAsync(theirs));
            using var mine = await PasswordStepAsync(browser, "m04", PkcePair.New());
            await AssertPasskeyStepAsync(mine);
            using var crossed = await AnswerAsync(browser, theirCeremony, other.Sign(PasskeyTests.Options(theirCeremony)));
            await AssertPasskeyStepAsync(crossed, failed: true);
        }

        // An accepted assertion, posted again into a new ceremony: its challenge is not the new one.
        var pkce = PkcePair.New();
        using var password = await PasswordStepAsync(browser, "m04", pkce);
        var ceremony = await BeginAsync(browser, await AssertPasskeyStepAsync(password));
        var answer = authenticator.Sign(PasskeyTests.Options(ceremony));
        using (var accepted = await AnswerAsync(browser, ceremony, answer))
        {
            AssertPasskeyMfa(await IdTokenAsync(browser, accepted, pkce));
        }

        using var again = server.NewBrowser();
        using var password2 = await PasswordStepAsync(again, "m04", PkcePair.New());
        var next = await BeginAsync(again, await AssertPasskeyStepAsync(password2));
        using var replayed = await AnswerAsync(again, next, answer);
        await AssertPasskeyStepAsync(replayed, failed: true);
        Assert.Contains(await FailureReasonsAsync("m04"), r => r.Contains("passkey_ceremony_void", StringComparison.Ordinal)
            || r.Contains("wrong_passkey_assertion", StringComparison.Ordinal));
    }

    [Fact] // OIDC Core §3.1.2.1 acr_values: a password session is asked for the passkey only, then raised in place.
    public async Task Acr_values_asking_for_mfa_accept_the_passkey_as_the_step_up()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Server.Factory);
        using var _ = browser;
        using var authenticator = new SoftwareAuthenticator(synced: true);
        await PasskeyTests.RegisterAsync(browser, "m06", authenticator);
        var before = jar.Cookies[AuthorizeSeed.SessionCookie];
        var pkce = PkcePair.New();

        using var start = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, Scope, pkce,
            extra: new Dictionary<string, string> { ["acr_values"] = "urn:authservice:acr:mfa" }));
        var step = await AssertPasskeyStepAsync(start);
        Assert.DoesNotContain("name=\"password\"", step, StringComparison.Ordinal);
        var ceremony = await BeginAsync(browser, step);
        using var answered = await AnswerAsync(browser, ceremony, authenticator.Sign(PasskeyTests.Options(ceremony)));

        AssertPasskeyMfa(await IdTokenAsync(browser, answered, pkce), keyMethod: "swk");
        Assert.NotEqual(before, jar.Cookies[AuthorizeSeed.SessionCookie]); // ASVS 7.2.4: a new handle at re-authentication
    }

    [Fact]
    public async Task The_account_sign_in_offers_the_code_and_the_passkey_and_the_security_page_says_the_passkey_counts()
    {
        using var authenticator = new SoftwareAuthenticator();
        using (var enrolling = server.NewBrowser())
        {
            await EnrolAsync(server, enrolling, "m07");
            using var added = await PasskeyTests.PostRegistrationAsync(enrolling, authenticator, options => authenticator.Register(options));
            Assert.Equal(HttpStatusCode.SeeOther, added.StatusCode);
            Assert.Contains("id=\"passkeys-second-factor\"", await SecurityPageAsync(enrolling), StringComparison.Ordinal);
        }

        using var browser = server.NewBrowser();
        using var start = await browser.FollowAsync(await browser.GetAsync(AccountPageTesting.AccountPath));
        using var password = await browser.SignInAsync(await AuthorizeTesting.AssertLoginPageAsync(start), "m07", AuthorizeSeed.Password);
        var step = await AssertSecondFactorPageAsync(password);
        Assert.Contains("id=\"passkey-second-factor\"", step, StringComparison.Ordinal);

        var ceremony = await BeginAsync(browser, step);
        using var signedIn = await AnswerAsync(browser, ceremony, authenticator.Sign(PasskeyTests.Options(ceremony)));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/account?status=signed-in", signedIn.Headers.Location?.OriginalString);
        await AccountPageTesting.AccountPageAsync(browser);
    }

    [Fact] // RFC 8628 §3.3: the device page's sign-in has the passkey link; the passkey as its second factor; the device's ID token says so.
    public async Task The_device_page_offers_a_passkey_sign_in_and_the_passkey_as_its_second_step()
    {
        using var authenticator = new SoftwareAuthenticator();
        using (var registering = server.NewBrowser())
        {
            await PasskeyTests.RegisterAsync(registering, "m08", authenticator);
        }

        var device = await server.StartDeviceAuthorizationAsync(Scope);
        var userCode = device.GetProperty("user_code").GetString()!;

        using var browser = server.NewBrowser();
        using var login = await browser.GetAsync(device.GetProperty("verification_uri_complete").GetString()!);
        var loginPage = await login.Content.ReadAsStringAsync();
        var passwordless = WebUtility.HtmlDecode(PasswordlessLink().Match(loginPage).Groups[1].Value);
        Assert.Equal("/device/login/passkey?user_code=" + Uri.EscapeDataString(userCode), passwordless);

        using var password = await browser.SignInAsync(loginPage, "m08", AuthorizeSeed.Password);
        var ceremony = await BeginAsync(browser, await AssertPasskeyStepAsync(password));
        using var signedIn = await AnswerAsync(browser, ceremony, authenticator.Sign(PasskeyTests.Options(ceremony)));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        using var consent = await browser.FollowAsync(signedIn);
        using var decided = await browser.SubmitAsync(await consent.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "allow" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);

        AssertPasskeyMfa(await server.DeviceIdTokenAsync(device));

        // The passwordless link of the device page signs in and goes back to the code.
        using var fresh = server.NewBrowser();
        using var begun = await fresh.GetAsync(passwordless);
        var page = await begun.Content.ReadAsStringAsync();
        PasskeyTests.AssertCeremonyPage(begun, page);
        using var back = await AnswerAsync(fresh, page, authenticator.Sign(PasskeyTests.Options(page)));
        Assert.Equal(HttpStatusCode.SeeOther, back.StatusCode);
        Assert.Equal("/device?user_code=" + Uri.EscapeDataString(userCode), back.Headers.Location?.OriginalString);
    }

    [Fact] // The passkey page of a second step needs a usable pending sign-in: without one, back to the start.
    public async Task The_second_steps_passkey_page_without_a_pending_sign_in_goes_back_to_the_sign_in()
    {
        using var browser = server.NewBrowser();
        using var account = await browser.GetAsync("/account/signin/second-factor/passkey");
        Assert.Equal(HttpStatusCode.SeeOther, account.StatusCode);
        Assert.Equal("/account/signin", account.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("<a id=\"passkey-second-factor\" href=\"([^\"]*)\"")]
    private static partial Regex PasskeyLink();

    [GeneratedRegex("<a id=\"passkey-sign-in\" href=\"([^\"]*)\"")]
    private static partial Regex PasswordlessLink();
}
