using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Account;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.SecondFactors.SecondFactorTesting;

namespace AuthService.Integration.Tests.SecondFactors;

/// <summary>
/// Second factors through the real pipeline on PostgreSQL: enrolment on <c>/account/security</c> (RFC 6238, the secret
/// read from the page and the codes computed with Otp.NET), the second step of all three sign-in forms (ASVS 7.2.4: the
/// session starts only after it), single use (RFC 6238 §5.2; ASVS 6.5.1), brute force stopped by the lockout
/// (ASVS 6.3.1), backup codes, and <c>amr</c>/<c>acr</c> in ID tokens after the code exchange and after a refresh
/// (RFC 8176; OIDC Core §2, §12.2).
/// </summary>
public sealed class SecondFactorSignInTests(SecondFactorFixture server) : IClassFixture<SecondFactorFixture>
{
    private const string Scope = "openid offline_access api.read";

    /// <summary>The authorization flow of CF up to its password step, signed in as <paramref name="member"/>: the response to the password form.</summary>
    private static async Task<HttpResponseMessage> PasswordStepAsync(Browser browser, string member, PkcePair? pkce = null)
    {
        using var start = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, Scope, pkce ?? PkcePair.New()));
        return await browser.SignInAsync(await AuthorizeTesting.AssertLoginPageAsync(start), member, AuthorizeSeed.Password);
    }

    /// <summary>
    /// The code flow of CF (no consent) signed in as <paramref name="member"/> with <paramref name="code"/> for the second
    /// step; returns the redemption's tokens.
    /// </summary>
    private async Task<GrantTokens> TokensWithSecondFactorAsync(Browser browser, string member, Func<string> code)
    {
        var pkce = PkcePair.New();
        using var password = await PasswordStepAsync(browser, member, pkce);
        var second = await AssertSecondFactorPageAsync(password);
        using var finished = await browser.FollowAsync(await SubmitCodeAsync(browser, second, code()));
        Assert.True(finished.StatusCode == HttpStatusCode.SeeOther, $"{(int)finished.StatusCode}: {await finished.Content.ReadAsStringAsync()}");
        var parameters = Browser.ResponseParameters(finished);
        using var redeemed = await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CF, parameters["code"], pkce.Verifier, SignInClients.CFRedirect);
        return GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true));
    }

    private static void AssertMfa(string idToken)
    {
        var payload = Jose.Payload(idToken);
        Assert.Equal(["pwd", "otp", "mfa"], payload["amr"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("urn:authservice:acr:mfa", payload["acr"]!.GetValue<string>());
    }

    [Fact]
    public async Task Enrolment_shows_a_qr_code_the_key_and_the_otpauth_uri_and_a_typed_code_confirms_it()
    {
        using var browser = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(browser, "m01");
        var page = await SecurityPageAsync(browser);
        Assert.Contains("Not set up", page, StringComparison.Ordinal);

        using var begun = await AccountPageTesting.PostAsync(browser, page, SecurityPath + "/totp");
        var enrolling = await SecurityPageAsync(browser, begun.Headers.Location!.OriginalString);
        Assert.Contains("<svg role=\"img\" aria-label=\"QR code", enrolling, StringComparison.Ordinal);
        Assert.Contains("otpauth://totp/issuer.test:m01?secret=", WebUtility.HtmlDecode(enrolling), StringComparison.Ordinal);
        Assert.Contains("&issuer=issuer.test&algorithm=SHA1&digits=6&period=30", WebUtility.HtmlDecode(enrolling), StringComparison.Ordinal);

        // A wrong code: the page again with why (400), still pending.
        using var wrong = await AccountPageTesting.PostAsync(browser, enrolling, SecurityPath + "/totp/confirm", ("code", "000000"));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("role=\"alert\"", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Until confirmed, the account still signs in with the password alone.
        using var other = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(other, "m01");

        using var cancelled = await AccountPageTesting.PostAsync(browser, enrolling, SecurityPath + "/remove");
        Assert.Equal(SecurityPath + "?status=second-factors-removed", cancelled.Headers.Location?.OriginalString);
        using var fresh = server.NewBrowser();
        var secret = await EnrolAsync(server, fresh, "m01");
        Assert.Equal(32, secret.Replace(" ", "", StringComparison.Ordinal).Length); // 160 bits in base32
        var enrolled = await SecurityPageAsync(fresh);
        Assert.Contains("id=\"totp-state\">Set up.", enrolled, StringComparison.Ordinal);
        Assert.DoesNotContain("totp-secret", enrolled, StringComparison.Ordinal);
        using var admin = await server.AdminAsync();
        var id = await server.UserIdAsync(admin, "m01");
        var entry = Assert.Single(await admin.AuditAsync($"subject={id}&event_type=user.second_factor_enrolled"));
        Assert.Equal("user", entry.GetProperty("actor_type").GetString());
        Assert.Empty(await admin.AuditAsync($"subject={id}&event_type=user.second_factor_removed")); // a pending one was never a factor
    }

    [Fact]
    public async Task The_authorization_flow_asks_for_the_code_then_the_id_token_says_mfa_and_a_refreshed_one_too()
    {
        using (var enrolling = server.NewBrowser())
        {
            var secret = await EnrolAsync(server, enrolling, "m02");
            using var browser = server.NewBrowser();
            var tokens = await TokensWithSecondFactorAsync(browser, "m02", () => server.CodeOf(secret));

            AssertMfa(tokens.IdToken!);
            var refreshed = await CodeGrantSupport.RefreshedAsync(server.Client, SignInClients.CF, tokens.RefreshToken!);
            AssertMfa(refreshed.IdToken!);
            Assert.Equal(Jose.Payload(tokens.IdToken!)["auth_time"]!.ToJsonString(), Jose.Payload(refreshed.IdToken!)["auth_time"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task A_password_only_sign_in_says_pwd()
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, server.Client, SignInClients.CF, Scope);

        var payload = Jose.Payload(tokens.IdToken!);
        Assert.Equal(["pwd"], payload["amr"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("urn:authservice:acr:pwd", payload["acr"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_code_used_once_is_refused_the_second_time()
    {
        using var enrolling = server.NewBrowser();
        var secret = await EnrolAsync(server, enrolling, "m03");
        var code = server.CodeOf(secret);
        using var first = server.NewBrowser();
        await TokensWithSecondFactorAsync(first, "m03", () => code);

        using var second = server.NewBrowser();
        using var password = await PasswordStepAsync(second, "m03");
        using var replayed = await SubmitCodeAsync(second, await AssertSecondFactorPageAsync(password), code);
        var again = await AssertSecondFactorPageAsync(replayed, failed: true);

        // The next step's code still works: the refusal was the replay, not the browser.
        server.NextStep();
        using var finished = await second.FollowAsync(await SubmitCodeAsync(second, again, server.CodeOf(secret)));
        Assert.Equal(HttpStatusCode.SeeOther, finished.StatusCode);
        Assert.StartsWith(SignInClients.CFRedirect, finished.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact] // ASVS 6.3.1, 6.6.3: wrong codes count as failed sign-ins: the account locks, and then even the right code does not help.
    public async Task Wrong_codes_lock_the_account()
    {
        using var enrolling = server.NewBrowser();
        var secret = await EnrolAsync(server, enrolling, "m04");
        using var browser = server.NewBrowser();
        using var password = await PasswordStepAsync(browser, "m04");
        var page = await AssertSecondFactorPageAsync(password);
        var right = server.CodeOf(secret);
        var wrong = right == "123456" ? "654321" : "123456";
        HttpResponseMessage? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            last?.Dispose();
            last = await SubmitCodeAsync(browser, page, wrong);
            if (attempt < 4)
            {
                page = await AssertSecondFactorPageAsync(last, failed: true);
            }
        }

        // The fifth wrong code locked the account: back to the password form, with the one failure message.
        var login = await last!.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, last.StatusCode);
        Assert.Contains("name=\"password\"", login, StringComparison.Ordinal);
        last.Dispose();

        using var retry = server.NewBrowser();
        using var refused = await PasswordStepAsync(retry, "m04");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("name=\"password\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var admin = await server.AdminAsync();
        Assert.NotEmpty(await admin.AuditAsync($"subject={await server.UserIdAsync(admin, "m04")}&event_type=user.locked_out"));
    }

    [Fact]
    public async Task A_backup_code_signs_in_once_and_regenerating_kills_the_old_ones()
    {
        using var enrolling = server.NewBrowser();
        await EnrolAsync(server, enrolling, "m05");
        var page = await SecurityPageAsync(enrolling);
        using var generated = await AccountPageTesting.PostAsync(enrolling, page, SecurityPath + "/backup-codes");
        var shown = await generated.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        Assert.Equal("no-store", generated.Headers.CacheControl?.ToString());
        var codes = BackupCodes(shown);
        Assert.Equal(10, codes.Count);
        Assert.Contains("10 unused backup codes left.", await SecurityPageAsync(enrolling), StringComparison.Ordinal);

        using var first = server.NewBrowser();
        var tokens = await TokensWithSecondFactorAsync(first, "m05", () => codes[0]);
        AssertMfa(tokens.IdToken!);
        Assert.Contains("9 unused backup codes left.", await SecurityPageAsync(enrolling), StringComparison.Ordinal);

        // The same backup code again: refused as any wrong code is.
        using var second = server.NewBrowser();
        using var password = await PasswordStepAsync(second, "m05");
        using var reused = await SubmitCodeAsync(second, await AssertSecondFactorPageAsync(password), codes[0]);
        var again = await AssertSecondFactorPageAsync(reused, failed: true);

        // A new set: the old codes are dead.
        using var regenerated = await AccountPageTesting.PostAsync(enrolling, await SecurityPageAsync(enrolling), SecurityPath + "/backup-codes");
        Assert.DoesNotContain(codes[1], await regenerated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var old = await SubmitCodeAsync(second, again, codes[1]);
        await AssertSecondFactorPageAsync(old, failed: true);
    }

    [Fact]
    public async Task The_account_sign_in_asks_for_the_code_and_starts_the_session_only_then()
    {
        using var enrolling = server.NewBrowser();
        var secret = await EnrolAsync(server, enrolling, "m06");
        using var browser = server.NewBrowser();
        using var start = await browser.FollowAsync(await browser.GetAsync(AccountPageTesting.AccountPath));
        using var password = await browser.SignInAsync(await AuthorizeTesting.AssertLoginPageAsync(start), "m06", AuthorizeSeed.Password);
        var second = await AssertSecondFactorPageAsync(password);

        // No session yet: the account page still sends the browser to the sign-in.
        using var notYet = await browser.GetAsync(AccountPageTesting.AccountPath);
        Assert.Equal(HttpStatusCode.SeeOther, notYet.StatusCode);

        using var wrong = await SubmitCodeAsync(browser, second, "000000" == server.CodeOf(secret) ? "111111" : "000000");
        second = await AssertSecondFactorPageAsync(wrong, failed: true);
        using var signedIn = await SubmitCodeAsync(browser, second, server.CodeOf(secret));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.Equal("/account?status=signed-in", signedIn.Headers.Location?.OriginalString);
        await AccountPageTesting.AccountPageAsync(browser);
    }

    [Fact]
    public async Task The_device_page_asks_for_the_code_and_the_device_gets_an_id_token_that_says_mfa()
    {
        using var enrolling = server.NewBrowser();
        var secret = await EnrolAsync(server, enrolling, "m07");
        var device = await server.StartDeviceAuthorizationAsync(Scope);

        using var browser = server.NewBrowser();
        using var login = await browser.GetAsync(device.GetProperty("verification_uri_complete").GetString()!);
        using var password = await browser.SignInAsync(await login.Content.ReadAsStringAsync(), "m07", AuthorizeSeed.Password);
        var second = await AssertSecondFactorPageAsync(password);
        using var signedIn = await SubmitCodeAsync(browser, second, server.CodeOf(secret));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        using var consent = await browser.FollowAsync(signedIn);
        using var decided = await browser.SubmitAsync(await consent.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["decision"] = "allow" });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);

        var payload = await server.DeviceIdTokenAsync(device);
        Assert.Equal(["pwd", "otp", "mfa"], payload["amr"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("urn:authservice:acr:mfa", payload["acr"]!.GetValue<string>());
    }

    [Fact]
    public async Task Removing_needs_a_current_code_and_then_the_password_alone_signs_in()
    {
        using var browser = server.NewBrowser();
        var secret = await EnrolAsync(server, browser, "m08");
        var page = await SecurityPageAsync(browser);

        using var refused = await AccountPageTesting.PostAsync(browser, page, SecurityPath + "/remove", ("code", "12345"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var removed = await AccountPageTesting.PostAsync(browser, page, SecurityPath + "/remove", ("code", server.CodeOf(secret)));
        Assert.Equal(SecurityPath + "?status=second-factors-removed", removed.Headers.Location?.OriginalString);

        using var other = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(other, "m08");
        using var admin = await server.AdminAsync();
        Assert.Single(await admin.AuditAsync($"subject={await server.UserIdAsync(admin, "m08")}&event_type=user.second_factor_removed"));
    }

    [Fact]
    public async Task An_administrator_resets_the_second_factors_and_an_unknown_user_is_404()
    {
        using var browser = server.NewBrowser();
        await EnrolAsync(server, browser, "m09");
        using var admin = await server.AdminAsync();
        var id = await server.UserIdAsync(admin, "m09");

        using var reset = await admin.DeleteAsync($"/admin/users/{id}/second-factors");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        using var unknown = await admin.DeleteAsync($"/admin/users/{Guid.NewGuid()}/second-factors");
        await unknown.ProblemAsync(HttpStatusCode.NotFound);

        using var other = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(other, "m09");
        var entry = Assert.Single(await admin.AuditAsync($"subject={id}&event_type=user.second_factor_removed"));
        Assert.Equal("admin_client", entry.GetProperty("actor_type").GetString());
    }

    [Fact] // OIDC Core §3.1.2.1 acr_values: a password session is asked for the second factor only, then raised in place.
    public async Task Acr_values_asking_for_mfa_asks_a_password_session_for_the_code_only_and_the_id_token_then_says_mfa()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Server.Factory);
        using var _ = browser;
        var secret = await EnrolAsync(server, browser, "m10");
        var before = jar.Cookies[AuthorizeSeed.SessionCookie];
        var pkce = PkcePair.New();

        using var start = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, Scope, pkce,
            extra: new Dictionary<string, string> { ["acr_values"] = "urn:authservice:acr:mfa" }));
        var second = await AssertSecondFactorPageAsync(start);
        Assert.DoesNotContain("name=\"password\"", second, StringComparison.Ordinal);
        using var finished = await browser.FollowAsync(await SubmitCodeAsync(browser, second, server.CodeOf(secret)));

        var parameters = Browser.ResponseParameters(finished);
        Assert.StartsWith(SignInClients.CFRedirect, finished.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.NotEqual(before, jar.Cookies[AuthorizeSeed.SessionCookie]); // ASVS 7.2.4: a new handle at re-authentication
        using var redeemed = await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CF, parameters["code"], pkce.Verifier, SignInClients.CFRedirect);
        AssertMfa(GrantTokens.From(await OAuthAssert.TokenSuccessAsync(redeemed, codeFlow: true)).IdToken!);
    }

    [Fact] // OpenID Connect Core Unmet Authentication Requirements 1.0 §2, returned as every authorization error (RFC 9207 iss).
    public async Task Acr_values_asking_for_mfa_of_an_account_without_a_second_factor_is_unmet_authentication_requirements()
    {
        using var browser = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(browser, "m11");

        using var response = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, Scope, PkcePair.New(),
            extra: new Dictionary<string, string> { ["acr_values"] = "urn:authservice:acr:mfa" }));

        AuthorizeTesting.AssertRedirectError(response, SignInClients.CFRedirect, "unmet_authentication_requirements");
    }

    [Fact]
    public async Task Discovery_lists_the_two_acr_values_and_the_amr_and_acr_claims()
    {
        using var response = await server.Client.GetAsync("/.well-known/openid-configuration");
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(["urn:authservice:acr:pwd", "urn:authservice:acr:mfa"],
            document.GetProperty("acr_values_supported").EnumerateArray().Select(v => v.GetString()));
        var claims = document.GetProperty("claims_supported").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Contains("amr", claims);
        Assert.Contains("acr", claims);
    }
}
