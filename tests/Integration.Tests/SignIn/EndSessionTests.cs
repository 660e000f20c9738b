using System.Net;
using System.Security.Cryptography;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// RP-Initiated Logout (OpenID Connect RP-Initiated Logout 1.0) at /connect/endsession: with a valid
/// id_token_hint for the current session the session ends on the server (ASVS 7.4.1), its cookie is
/// cleared, its refresh tokens are revoked (RFC 9700 §4.14.2) and the browser goes back only to an exactly
/// registered post_logout_redirect_uri (RFC 9700 §2.1). Without such a hint the user confirms first
/// (ASVS 10.6.2: no forced logout), on an anti-forgery protected form (RFC 6749 §10.12). Forged hints, access
/// tokens as hints and mismatched client_id are error pages (ASVS 9.1.1, ASVS 9.2.2).
/// </summary>
public sealed class EndSessionTests(SignInFixture server) : IClassFixture<SignInFixture>
{
    private const string State = "logout-state-1";

    [Fact]
    public async Task A_valid_hint_ends_the_session_clears_the_cookie_revokes_refresh_tokens_and_redirects_with_state()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid profile offline_access");
        Assert.NotNull(tokens.SessionCookie);
        Assert.NotNull(tokens.RefreshToken);
        var sid = Jose.Payload(tokens.IdToken!)["sid"]!.GetValue<string>();
        Assert.Null(await EndedAtAsync(sid));

        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", State)));

        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"Expected 303, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal($"{SignInClients.CWSignedOut}?state={State}", response.Headers.Location!.OriginalString);
        Assert.Equal("no-store", response.Header("Cache-Control"));
        EndSessionFlows.AssertSessionCookieCleared(response);
        Assert.False(jar.Cookies.ContainsKey(EndSessionFlows.SessionCookie));

        // Ended on the server (ASVS 7.4.1), not only forgotten by this browser.
        Assert.NotNull(await EndedAtAsync(sid));
        await EndSessionFlows.AssertSignedOutAsync(browser, "after logout");
        using var replay = EndSessionFlows.NewBrowser(server.Factory).Browser;
        replay.Http.DefaultRequestHeaders.Add("Cookie", $"{EndSessionFlows.SessionCookie}={tokens.SessionCookie}");
        await EndSessionFlows.AssertSignedOutAsync(replay, "the old session cookie replayed after logout");

        // RFC 9700 §4.14.2: the refresh token of the session is revoked, and with it the access token issued alongside.
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "the refresh token of an ended session");
        using var userInfo = await EndSessionFlows.UserInfoAsync(server.Client, tokens.AccessToken);
        await EndSessionFlows.AssertBearerErrorAsync(userInfo, HttpStatusCode.Unauthorized, "invalid_token", "the access token of an ended session's refresh token family");
    }

    // Header injection: state goes back percent-encoded, as one parameter, never as markup or a header.
    [Fact]
    public async Task The_state_goes_back_encoded_and_cannot_add_parameters_or_headers()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        const string state = "a b&code=x#f\r\nSet-Cookie: evil=1<script>";

        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", state)));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Equal($"{SignInClients.CWSignedOut}?state={Uri.EscapeDataString(state)}", location);
        Assert.Equal(state, AuthorizeResponse(location).GetValueOrDefault("state"));
        Assert.Single(AuthorizeResponse(location));
        Assert.Null(EndSessionFlows.SetCookie(response, "evil"));
    }

    [Fact]
    public async Task A_valid_hint_without_a_post_logout_redirect_uri_shows_a_signed_out_page()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");

        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", tokens.IdToken), ("state", State)));

        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected the signed-out page, got {(int)response.StatusCode}: {html}");
        Assert.Null(response.Headers.Location);
        Assert.Contains("Signed out", html, StringComparison.Ordinal);
        Assert.DoesNotContain(State, html, StringComparison.Ordinal);
        EndSessionFlows.AssertSessionCookieCleared(response);
        await EndSessionFlows.AssertSignedOutAsync(browser, "after logout without a redirect");
    }

    [Fact]
    public async Task A_valid_hint_posted_as_a_form_ends_the_session_too()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");

        using var response = await browser.Http.PostAsync(EndSessionFlows.EndSessionPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id_token_hint"] = tokens.IdToken!,
            ["post_logout_redirect_uri"] = SignInClients.CWSignedOut,
            ["state"] = State,
        }));

        Assert.True(response.StatusCode == HttpStatusCode.SeeOther, $"Expected 303, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal($"{SignInClients.CWSignedOut}?state={State}", response.Headers.Location!.OriginalString);
        await EndSessionFlows.AssertSignedOutAsync(browser, "after a POSTed logout");
    }

    // RFC 9700 §2.1: only an exactly registered post_logout_redirect_uri is followed; anything else is an error page.
    [Theory]
    [InlineData("https://cw.example/signed-out/")]
    [InlineData("https://cw.example/signed-out?x=1")]
    [InlineData("https://cw.example/signed-out#f")]
    [InlineData("https://CW.example/signed-out")]
    [InlineData("http://cw.example/signed-out")]
    [InlineData("https://cw.example.evil.com/signed-out")]
    [InlineData("https://evil.com/signed-out")]
    [InlineData("https://evil.com")]
    [InlineData("//evil.com")]
    [InlineData("/\\evil.com")]
    [InlineData("https:evil.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://cw.example/cb")]
    public async Task An_unregistered_post_logout_redirect_uri_is_an_error_page_and_the_session_survives(string postLogoutRedirectUri)
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");

        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", postLogoutRedirectUri), ("state", State)));

        await AssertErrorPageAsync(response, postLogoutRedirectUri);
        await EndSessionFlows.AssertSignedInAsync(browser, $"after a refused logout to {postLogoutRedirectUri}");
    }

    [Fact]
    public async Task A_registered_post_logout_redirect_uri_without_any_client_identification_is_an_error_page()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");

        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", State)));

        await AssertErrorPageAsync(response, SignInClients.CWSignedOut);
        await EndSessionFlows.AssertSignedInAsync(browser, "after a refused logout without a client");
    }

    // CW's post-logout URI named with another client's id: the URI must be registered for the client named.
    [Fact]
    public async Task A_post_logout_redirect_uri_of_another_client_is_an_error_page()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");

        using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("client_id", SignInClients.CV), ("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", State)));

        await AssertErrorPageAsync(response, SignInClients.CWSignedOut);
        await EndSessionFlows.AssertSignedInAsync(browser, "after a refused logout for another client's URI");
    }

    // ASVS 10.6.2: without a hint the logout could be forged; the user confirms, nothing ends before.
    [Fact]
    public async Task Without_a_hint_a_confirmation_page_is_shown_and_the_session_ends_only_when_it_is_posted()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid offline_access");

        using var page = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("client_id", SignInClients.CW), ("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", State)));
        var html = await AssertConfirmationPageAsync(page);

        // Nothing has ended yet: the session and the refresh token still work.
        await EndSessionFlows.AssertSignedInAsync(browser, "while the confirmation page is shown");
        var refreshed = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, tokens.RefreshToken!), codeFlow: true);
        var refreshToken = refreshed.GetProperty("refresh_token").GetString()!;

        using var confirmed = await browser.SubmitAsync(html, new Dictionary<string, string>());

        Assert.True(confirmed.StatusCode == HttpStatusCode.SeeOther, $"Expected 303 after confirming, got {(int)confirmed.StatusCode}: {await confirmed.Content.ReadAsStringAsync()}");
        Assert.Equal($"{SignInClients.CWSignedOut}?state={State}", confirmed.Headers.Location!.OriginalString);
        EndSessionFlows.AssertSessionCookieCleared(confirmed);
        await EndSessionFlows.AssertSignedOutAsync(browser, "after confirming the logout");
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, refreshToken, "the refresh token of a session ended by confirmation");
    }

    [Fact]
    public async Task Without_a_hint_a_POSTed_logout_request_also_only_shows_the_confirmation_page()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");

        // What an auto-submitting form on another site would send.
        using var page = await browser.Http.PostAsync(EndSessionFlows.EndSessionPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = SignInClients.CW,
            ["post_logout_redirect_uri"] = SignInClients.CWSignedOut,
        }));

        await AssertConfirmationPageAsync(page);
        await EndSessionFlows.AssertSignedInAsync(browser, "after a cross-site logout POST without a hint");
    }

    // RFC 6749 §10.12: the confirmation is anti-forgery protected; a forged confirmation ends nothing.
    [Fact]
    public async Task A_confirmation_posted_without_or_with_a_wrong_csrf_token_is_400_and_the_session_survives()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        using var page = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("client_id", SignInClients.CW)));
        var html = await AssertConfirmationPageAsync(page);
        var fields = Browser.HiddenFields(html);

        var withoutToken = new Dictionary<string, string>(fields);
        withoutToken.Remove("csrf_token");
        var wrongToken = new Dictionary<string, string>(fields) { ["csrf_token"] = PkcePair.Base64Url(RandomNumberGenerator.GetBytes(32)) };
        foreach (var (because, form) in new[] { ("without csrf_token", withoutToken), ("with a wrong csrf_token", wrongToken) })
        {
            using var response = await browser.Http.PostAsync(EndSessionFlows.EndSessionPath, new FormUrlEncodedContent(form));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: expected 400, got {(int)response.StatusCode}: {text}");
            Assert.Null(response.Headers.Location);
            Assert.Null(EndSessionFlows.SetCookie(response, EndSessionFlows.SessionCookie));
            await EndSessionFlows.AssertSignedInAsync(browser, $"after a confirmation {because}");
        }

        // The page's own form still works afterwards.
        using var confirmed = await browser.SubmitAsync(html, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        await EndSessionFlows.AssertSignedOutAsync(browser, "after the genuine confirmation");
    }

    // The confirmation form of another browser (its csrf_token, without its cookie) ends nothing here.
    [Fact]
    public async Task A_confirmation_form_of_another_browser_is_400()
    {
        var (victim, victimJar) = EndSessionFlows.NewBrowser(server.Factory);
        var (attacker, attackerJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = victim;
        using var __ = attacker;
        await EndSessionFlows.SignInAsync(victim, victimJar, server.Client, "openid");
        await EndSessionFlows.SignInAsync(attacker, attackerJar, server.Client, "openid", username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        using var attackerPage = await attacker.GetAsync(EndSessionFlows.EndSessionUrl(("client_id", SignInClients.CW)));
        var html = await AssertConfirmationPageAsync(attackerPage);

        using var response = await victim.SubmitAsync(html, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await EndSessionFlows.AssertSignedInAsync(victim, "after posting another browser's confirmation");
        await EndSessionFlows.AssertSignedInAsync(attacker, "the other browser");
    }

    // ASVS 10.6.2: a hint for another user, or for an earlier session of the same user, does not prove this session's RP asked.
    [Fact]
    public async Task A_hint_of_another_user_or_of_an_earlier_session_asks_for_confirmation()
    {
        var (bob, bobJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = bob;
        var bobTokens = await EndSessionFlows.SignInAsync(bob, bobJar, server.Client, "openid", username: SignInClients.BobUsername, password: SignInClients.BobPassword);

        var (alice, aliceJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var __ = alice;
        var aliceEarlier = await EndSessionFlows.SignInAsync(alice, aliceJar, server.Client, "openid");

        // Alice signs in again in another browser: the first session's hint names another sid.
        var (aliceAgain, againJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var ___ = aliceAgain;
        await EndSessionFlows.SignInAsync(aliceAgain, againJar, server.Client, "openid");

        foreach (var (because, hint) in new[] { ("bob's hint in alice's browser", bobTokens.IdToken), ("the hint of alice's other session", aliceEarlier.IdToken) })
        {
            using var response = await aliceAgain.GetAsync(EndSessionFlows.EndSessionUrl(
                ("id_token_hint", hint), ("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", State)));
            Assert.Null(response.Headers.Location);
            await AssertConfirmationPageAsync(response);
            await EndSessionFlows.AssertSignedInAsync(aliceAgain, because);
        }

        await EndSessionFlows.AssertSignedInAsync(bob, "bob, whose hint was used elsewhere");
        await EndSessionFlows.AssertSignedInAsync(alice, "alice's other session");
    }

    // ASVS 9.1.1, ASVS 9.2.2, ASVS 9.2.4: a hint must be an ID token of this server, unaltered, and for the client named.
    [Fact]
    public async Task Forged_or_wrong_kind_hints_and_a_mismatched_client_id_are_error_pages_and_end_nothing()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        var (header, payload, signature) = Jose.Split(tokens.IdToken!);
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var cases = new List<(string Because, (string, string?)[] Parameters)>
        {
            ("a hint with one signature character flipped", [("id_token_hint", header + "." + payload + "." + FlipMiddle(signature))]),
            ("a hint with the signature cut", [("id_token_hint", header + "." + payload + ".")]),
            ("a hint whose payload names another sid", [("id_token_hint", Jose.WithPayload(tokens.IdToken!, p => p["sid"] = Guid.NewGuid().ToString()))]),
            ("a hint signed by another key", [("id_token_hint", Jose.SignEs256(Jose.Header(tokens.IdToken!), payload, attacker))]),
            ("a hint with alg none", [("id_token_hint", Jose.Encode("""{"alg":"none","typ":"JWT"}""") + "." + payload + ".")]),
            ("garbage as the hint", [("id_token_hint", "not-a-jwt")]),
            ("the access token as the hint", [("id_token_hint", tokens.AccessToken)]),
            ("a client_id other than the hint's audience", [("id_token_hint", tokens.IdToken), ("client_id", SignInClients.CV)]),
        };
        foreach (var (because, parameters) in cases)
        {
            using var response = await browser.GetAsync(EndSessionFlows.EndSessionUrl([.. parameters, ("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", State)]));
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{because}: expected the 400 error page, got {(int)response.StatusCode} (Location: {response.Headers.Location}): {html}");
            Assert.Null(response.Headers.Location);
            Assert.Null(EndSessionFlows.SetCookie(response, EndSessionFlows.SessionCookie));
            Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            Assert.Contains("<code>invalid_request</code>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
            await EndSessionFlows.AssertSignedInAsync(browser, $"after {because}");
        }
    }

    [Fact]
    public async Task Without_a_session_a_valid_hint_still_returns_to_the_registered_uri()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        using (var first = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", SignInClients.CWSignedOut))))
        {
            Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        }

        // A second logout with the same hint: nothing left to end, back to the client.
        using var again = await browser.GetAsync(EndSessionFlows.EndSessionUrl(
            ("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", State)));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Equal($"{SignInClients.CWSignedOut}?state={State}", again.Headers.Location!.OriginalString);
    }

    // RFC 9700 §4.16 on the logout confirmation page.
    [Fact]
    public async Task The_confirmation_page_cannot_be_framed_or_cached()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");

        using var page = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("client_id", SignInClients.CW)));
        await AssertConfirmationPageAsync(page);

        OAuthAssert.SecurityHeaders(page);
        var policy = page.Header("Content-Security-Policy")!;
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", policy, StringComparison.Ordinal);
    }

    private async Task<DateTimeOffset?> EndedAtAsync(string sessionId)
    {
        var rows = await server.Database.QueryAsync("SELECT ended_at FROM user_sessions WHERE id = @id", ("id", Guid.Parse(sessionId)));
        var row = Assert.Single(rows);
        return row[0] is DateTime ended ? new DateTimeOffset(DateTime.SpecifyKind(ended, DateTimeKind.Utc)) : row[0] as DateTimeOffset?;
    }

    /// <summary>ERROR-PAGE: 400 HTML naming invalid_request, no Location, no form, the session cookie untouched, the URI not echoed as a link.</summary>
    private static async Task AssertErrorPageAsync(HttpResponseMessage response, string postLogoutRedirectUri)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
            $"{postLogoutRedirectUri}: expected the 400 error page, got {(int)response.StatusCode} (Location: {response.Headers.Location}): {html}");
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
        Assert.Contains("<code>invalid_request</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http-equiv", html, StringComparison.OrdinalIgnoreCase);
        Assert.Null(EndSessionFlows.SetCookie(response, EndSessionFlows.SessionCookie));
        OAuthAssert.SecurityHeaders(response);
    }

    /// <summary>200, the confirmation form posting back here with csrf_token, request and confirm=yes. Returns the page.</summary>
    private static async Task<string> AssertConfirmationPageAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected the confirmation page (200), got {(int)response.StatusCode} (Location: {response.Headers.Location}): {html}");
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
        Assert.Contains($"<form method=\"post\" action=\"{EndSessionFlows.EndSessionPath}\"", html, StringComparison.Ordinal);
        var fields = Browser.HiddenFields(html);
        Assert.True(fields.TryGetValue("csrf_token", out var csrf) && csrf.Length > 0, $"No csrf_token on the page: {html}");
        Assert.True(fields.ContainsKey("request"), $"No request on the page: {html}");
        Assert.Equal("yes", fields.GetValueOrDefault("confirm"));
        Assert.Null(EndSessionFlows.SetCookie(response, EndSessionFlows.SessionCookie));
        return html;
    }

    private static Dictionary<string, string> AuthorizeResponse(string location) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(location).Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    private static string FlipMiddle(string segment)
    {
        var chars = segment.ToCharArray();
        var i = chars.Length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new string(chars);
    }
}
