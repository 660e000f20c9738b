using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Account;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.PushedAuthorization;
using AuthService.Integration.Tests.SecondFactors;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Passkeys;

/// <summary>
/// Passkeys through the real pipeline on PostgreSQL, with <see cref="SoftwareAuthenticator"/> in place of the browser's
/// authenticator: registration on <c>/account/passkeys</c> (WebAuthn L3 §7.1), the passwordless sign-in of the account page
/// (§7.2), and the refusals: another origin (§7.2 step 13), another RP id (step 15), a spent challenge (§13.4.3), a counter
/// that went backwards (step 22: refused and audited), no user verification, another person's credential id.
/// </summary>
public sealed partial class PasskeyTests(SecondFactorFixture server) : IClassFixture<SecondFactorFixture>
{
    private const string PasskeysPath = "/account/passkeys";
    private const string SignInPath = "/account/signin/passkey";
    private const string CeremonyCookie = "__Host-authservice-passkey";

    /// <summary>Signs <paramref name="member"/> in and registers <paramref name="authenticator"/> as "Laptop"; returns the passkey page after it.</summary>
    internal static async Task<string> RegisterAsync(Browser browser, string member, SoftwareAuthenticator authenticator, string name = "Laptop")
    {
        await AccountAppsTests.SignInToAccountAsync(browser, member);
        using var finished = await PostRegistrationAsync(browser, authenticator, options => authenticator.Register(options), name);
        Assert.True(finished.StatusCode == HttpStatusCode.SeeOther, await finished.Content.ReadAsStringAsync());
        Assert.Equal(PasskeysPath + "?status=passkey-added", finished.Headers.Location?.OriginalString);
        return await PageAsync(browser, finished.Headers.Location!.OriginalString);
    }

    /// <summary>Begins a registration from the passkey page and posts what <paramref name="answer"/> makes of the ceremony page's options.</summary>
    internal static async Task<HttpResponseMessage> PostRegistrationAsync(Browser browser, SoftwareAuthenticator authenticator, Func<string, string> answer,
        string name = "Laptop")
    {
        var page = await PageAsync(browser, PasskeysPath);
        using var begun = await AccountPageTesting.PostAsync(browser, page, PasskeysPath + "/begin", ("name", name));
        var ceremony = await begun.Content.ReadAsStringAsync();
        Assert.True(begun.StatusCode == HttpStatusCode.OK, ceremony);
        AssertCeremonyPage(begun, ceremony);
        return await browser.SubmitAsync(ceremony, new Dictionary<string, string> { ["credential"] = answer(Options(ceremony)) });
    }

    /// <summary>Opens the passwordless sign-in's page in a fresh browser and posts what <paramref name="answer"/> makes of its options.</summary>
    private async Task<(Browser Browser, HttpResponseMessage Response)> SignInAsync(Func<string, string> answer)
    {
        var browser = server.NewBrowser();
        using var begun = await browser.GetAsync(SignInPath);
        var ceremony = await begun.Content.ReadAsStringAsync();
        Assert.True(begun.StatusCode == HttpStatusCode.OK, ceremony);
        AssertCeremonyPage(begun, ceremony);
        return (browser, await browser.SubmitAsync(ceremony, new Dictionary<string, string> { ["credential"] = answer(Options(ceremony)) }));
    }

    private static async Task AssertSignedInAsync(Browser browser, HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("/account?status=signed-in", response.Headers.Location?.OriginalString);
        await AccountPageTesting.AccountPageAsync(browser);
    }

    /// <summary>The passwordless sign-in with <paramref name="answer"/> succeeds; returns the signed-in browser.</summary>
    private async Task<Browser> AssertSignInSucceedsAsync(Func<string, string> answer)
    {
        var (browser, response) = await SignInAsync(answer);
        using (response)
        {
            await AssertSignedInAsync(browser, response);
        }

        return browser;
    }

    /// <summary>The passwordless sign-in with <paramref name="answer"/> is refused: the sign-in page again (400), no session.</summary>
    private async Task AssertSignInRefusedAsync(Func<string, string> answer)
    {
        var (browser, response) = await SignInAsync(answer);
        using var _ = browser;
        using var __ = response;
        await AssertRefusedAsync(browser, response);
    }

    private static async Task AssertRefusedAsync(Browser browser, HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {html}");
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        using var account = await browser.GetAsync("/account");
        Assert.Equal(HttpStatusCode.SeeOther, account.StatusCode);
    }

    [Fact]
    public async Task A_registered_passkey_is_listed_and_signs_in_without_a_password_with_mfa()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.NewBrowser();

        var page = await RegisterAsync(browser, "m01", authenticator);

        Assert.Contains("<strong>Laptop</strong> (this device only)", page, StringComparison.Ordinal);
        Assert.Contains("never used", page, StringComparison.Ordinal);
        using var other = await AssertSignInSucceedsAsync(options => authenticator.Sign(options));

        using var admin = await server.AdminAsync();
        var userId = await server.UserIdAsync(admin, "m01");
        Assert.NotEmpty(await admin.AuditAsync($"subject={userId}&event_type=user.passkey_registered"));
        Assert.Contains("last used", await PageAsync(other, PasskeysPath), StringComparison.Ordinal);
    }

    [Fact] // RFC 8176 §2 and OIDC Core §2: the ID token of a passkey sign-in in the authorization flow says how (hwk, user, mfa; acr mfa).
    public async Task The_authorization_flow_signs_in_with_a_passkey_and_the_id_token_carries_hwk_user_mfa()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.NewBrowser();
        await RegisterAsync(browser, "m12", authenticator);
        using var fresh = server.NewBrowser();
        var pkce = PkcePair.New();

        using var start = await fresh.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid offline_access api.read", pkce));
        var login = await AuthorizeTesting.AssertLoginPageAsync(start);
        using var begun = await fresh.GetAsync(WebUtility.HtmlDecode(PasskeyLink().Match(login).Groups[1].Value));
        var ceremony = await begun.Content.ReadAsStringAsync();
        Assert.True(begun.StatusCode == HttpStatusCode.OK, ceremony);
        AssertCeremonyPage(begun, ceremony);
        using var signedIn = await fresh.SubmitAsync(ceremony, new Dictionary<string, string> { ["credential"] = authenticator.Sign(Options(ceremony)) });
        using var finished = await fresh.FollowAsync(signedIn);

        Assert.True(finished.StatusCode == HttpStatusCode.SeeOther, $"{(int)finished.StatusCode}: {await finished.Content.ReadAsStringAsync()}");
        var parameters = Browser.ResponseParameters(finished);
        using var redeemed = await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CF, parameters["code"], pkce.Verifier, SignInClients.CFRedirect);
        var tokens = GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true));
        var payload = Jose.Payload(tokens.IdToken!);
        Assert.Equal(["hwk", "user", "mfa"], payload["amr"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("urn:authservice:acr:mfa", payload["acr"]!.GetValue<string>());
    }

    // A pushed request (RFC 9126 §4) travels through the pages sealed, without its redirect_uri beside it: the passkey page's
    // CSP form-action must still allow the client's redirect origin, or a browser blocks the redirect after the passkey
    // (a remembered consent goes straight to the client).
    [Fact]
    public async Task The_passkey_page_of_a_pushed_request_allows_the_clients_registered_redirect_origin()
    {
        using var browser = server.NewBrowser();
        var requestUri = await PushedClients.PushedRequestUriAsync(server.Client,
            PushedClients.Parameters(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New()), SignInClients.CF, SignInClients.CFSecret);
        using var start = await browser.GetAsync(PushedClients.AuthorizeUrl(SignInClients.CF, requestUri));
        var login = await AuthorizeTesting.AssertLoginPageAsync(start);
        var passkeyLink = WebUtility.HtmlDecode(PasskeyLink().Match(login).Groups[1].Value);
        Assert.DoesNotContain("redirect_uri", Uri.UnescapeDataString(passkeyLink), StringComparison.Ordinal);

        using var begun = await browser.GetAsync(passkeyLink);
        Assert.Equal(HttpStatusCode.OK, begun.StatusCode);
        var registeredOrigin = new Uri(SignInClients.CFRedirect).GetLeftPart(UriPartial.Authority);
        Assert.Matches($"form-action 'self' {Regex.Escape(registeredOrigin)}(;|$)", string.Join(' ', begun.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task A_synced_passkey_is_listed_as_synced_and_signs_in()
    {
        using var authenticator = new SoftwareAuthenticator(synced: true);
        using var browser = server.NewBrowser();

        var page = await RegisterAsync(browser, "m02", authenticator, "Phone");

        Assert.Contains("<strong>Phone</strong> (synced)", page, StringComparison.Ordinal);
        using var other = await AssertSignInSucceedsAsync(options => authenticator.Sign(options));
    }

    // WebAuthn L3 §7.2 step 13 (origin), step 15 (rpIdHash), step 17 (UV required for a passwordless sign-in). One account for
    // the three: once it has a passkey, its password sign-in asks for the passkey too (docs/adr/0035).
    [Fact]
    public async Task An_assertion_for_another_origin_or_rp_id_or_without_user_verification_is_refused()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.NewBrowser();
        await RegisterAsync(browser, "m03", authenticator);

        foreach (var (origin, rpId, userVerified) in new (string?, string?, bool)[] { ("https://evil.test", null, true), (null, "evil.test", true), (null, null, false) })
        {
            await AssertSignInRefusedAsync(options => authenticator.Sign(options, origin, rpId, userVerified));
        }

        using var admin = await server.AdminAsync();
        var userId = await server.UserIdAsync(admin, "m03");
        Assert.NotEmpty(await admin.AuditAsync($"subject={userId}&event_type=user.sign_in_failed"));
    }

    [Fact]
    public async Task A_registration_for_another_origin_or_rp_id_is_refused()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(browser, "m04");

        using var wrongOrigin = await PostRegistrationAsync(browser, authenticator, options => authenticator.Register(options, origin: "https://evil.test"));
        using var wrongRpId = await PostRegistrationAsync(browser, authenticator, options => authenticator.Register(options, rpId: "evil.test"));

        Assert.Equal(HttpStatusCode.BadRequest, wrongOrigin.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongRpId.StatusCode);
        Assert.Contains("id=\"no-passkeys\"", await PageAsync(browser, PasskeysPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_challenge_answers_one_response_only()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.NewBrowser();
        await RegisterAsync(browser, "m05", authenticator);

        // One ceremony, its answer posted twice with the same cookies: the second finds the challenge spent.
        using var raw = server.Server.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        using var begun = await raw.GetAsync(SignInPath);
        var ceremony = await begun.Content.ReadAsStringAsync();
        var cookie = string.Join("; ", begun.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        Assert.Contains(CeremonyCookie + "=", cookie, StringComparison.Ordinal);
        var form = Browser.HiddenFields(ceremony);
        form["credential"] = authenticator.Sign(Options(ceremony));

        using var first = await PostWithCookieAsync(raw, cookie, form);
        using var replay = await PostWithCookieAsync(raw, cookie, form);

        Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);

        // The same answer in a new ceremony names the old challenge: refused as well.
        await AssertSignInRefusedAsync(_ => form["credential"]);
    }

    [Fact]
    public async Task A_counter_that_goes_backwards_is_refused_and_audited_as_a_possible_clone()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.NewBrowser();
        await RegisterAsync(browser, "m06", authenticator);
        (await AssertSignInSucceedsAsync(options => authenticator.Sign(options, counter: 10))).Dispose();

        await AssertSignInRefusedAsync(options => authenticator.Sign(options, counter: 7));
        using var admin = await server.AdminAsync();
        var userId = await server.UserIdAsync(admin, "m06");
        Assert.NotEmpty(await admin.AuditAsync($"subject={userId}&event_type=user.passkey_clone_suspected"));
    }

    [Fact]
    public async Task A_credential_id_registered_by_another_person_is_refused_and_their_passkeys_cannot_be_touched()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var owner = server.NewBrowser();
        var ownerPage = await RegisterAsync(owner, "m07", authenticator);
        var ownerPasskeyId = PasskeyId().Match(ownerPage).Groups[1].Value;

        using var copy = new SoftwareAuthenticator();
        using var other = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(other, "m08");
        using var taken = await PostRegistrationAsync(other, copy, options => copy.Register(options, credentialId: authenticator.CredentialId));
        Assert.Equal(HttpStatusCode.BadRequest, taken.StatusCode);

        var page = await PageAsync(other, PasskeysPath);
        using var rename = await AccountPageTesting.PostAsync(other, page, PasskeysPath + "/rename", ("id", ownerPasskeyId), ("name", "Mine now"));
        using var remove = await AccountPageTesting.PostAsync(other, page, PasskeysPath + "/remove", ("id", ownerPasskeyId));
        Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, remove.StatusCode);
        Assert.Contains("<strong>Laptop</strong>", await PageAsync(owner, PasskeysPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passkey_is_renamed_and_removed_with_the_session_and_the_removal_is_audited()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.NewBrowser();
        var page = await RegisterAsync(browser, "m09", authenticator);
        var id = PasskeyId().Match(page).Groups[1].Value;

        using var blank = await AccountPageTesting.PostAsync(browser, page, PasskeysPath + "/rename", ("id", id), ("name", "  "));
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        using var renamed = await AccountPageTesting.PostAsync(browser, page, PasskeysPath + "/rename", ("id", id), ("name", "Desk key"));
        Assert.Equal(PasskeysPath + "?status=passkey-renamed", renamed.Headers.Location?.OriginalString);
        Assert.Contains("<strong>Desk key</strong>", await PageAsync(browser, PasskeysPath), StringComparison.Ordinal);

        using var removed = await AccountPageTesting.PostAsync(browser, page, PasskeysPath + "/remove", ("id", id));
        Assert.Equal(PasskeysPath + "?status=passkey-removed", removed.Headers.Location?.OriginalString);
        Assert.Contains("id=\"no-passkeys\"", await PageAsync(browser, PasskeysPath), StringComparison.Ordinal);

        using var admin = await server.AdminAsync();
        var userId = await server.UserIdAsync(admin, "m09");
        var audit = Assert.Single(await admin.AuditAsync($"subject={userId}&event_type=user.passkey_removed"));
        Assert.Contains("self", audit.ToString(), StringComparison.Ordinal);
        await AssertSignInRefusedAsync(options => authenticator.Sign(options));
    }

    [Fact]
    public async Task The_administrator_removes_a_users_passkeys()
    {
        using var authenticator = new SoftwareAuthenticator();
        using var browser = server.NewBrowser();
        await RegisterAsync(browser, "m10", authenticator);
        using var admin = await server.AdminAsync();
        var userId = await server.UserIdAsync(admin, "m10");

        using var reset = await admin.DeleteAsync($"/admin/users/{userId}/passkeys");
        using var unknown = await admin.DeleteAsync($"/admin/users/{Guid.NewGuid()}/passkeys");

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("admin_reset", Assert.Single(await admin.AuditAsync($"subject={userId}&event_type=user.passkey_removed")).ToString(), StringComparison.Ordinal);
        await AssertSignInRefusedAsync(options => authenticator.Sign(options));
    }

    [Fact]
    public async Task The_passkey_pages_need_a_session_and_the_anti_forgery_token()
    {
        using var browser = server.NewBrowser();
        using var page = await browser.GetAsync(PasskeysPath);
        Assert.Equal(HttpStatusCode.SeeOther, page.StatusCode);
        Assert.Equal("/account/signin", page.Headers.Location?.OriginalString);

        await AccountAppsTests.SignInToAccountAsync(browser, "m11");
        using var forged = await browser.Http.PostAsync(PasskeysPath + "/begin", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var script = await browser.GetAsync("/passkeys.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    private static Task<HttpResponseMessage> PostWithCookieAsync(HttpClient client, string cookie, Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, SignInPath) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request);
    }

    private static async Task<string> PageAsync(Browser browser, string path)
    {
        using var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {response.Headers.Location}: {html}");
        return html;
    }

    /// <summary>The ceremony page: its script comes from this server under the page's nonce; no inline script, no connect-src.</summary>
    internal static void AssertCeremonyPage(HttpResponseMessage response, string html)
    {
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        var nonce = Nonce().Match(policy).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), policy);
        Assert.Contains($"<script nonce=\"{nonce}\" src=\"/passkeys.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("connect-src", policy, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    internal static string Options(string html) => WebUtility.HtmlDecode(OptionsAttribute().Match(html).Groups[1].Value);

    [GeneratedRegex("data-options=\"([^\"]*)\"")]
    private static partial Regex OptionsAttribute();

    [GeneratedRegex("script-src 'nonce-([^']+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex("<a id=\"passkey-sign-in\" href=\"([^\"]*)\"")]
    private static partial Regex PasskeyLink();

    [GeneratedRegex("data-passkey-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex PasskeyId();
}
