using System.Net;
using AuthService.Integration.Tests.Federation.Upstreams;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Microsoft.AspNetCore.WebUtilities;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// The browser flow of upstream sign-in (docs/adr/0037 "The flow") over the real pipeline, PostgreSQL and a real upstream
/// OpenID Provider: provisioning, the local <c>sub</c> and <c>amr</c> in the client's ID token, linking only after proof,
/// the providers' policies, and the attacks on the callback (no or a wrong state, another browser's, another provider's,
/// a replayed answer), an upstream that is down, <c>idp_hint</c> and a disabled provider.
/// </summary>
public sealed class FederationFlowTests(FederationFlowFixture server) : IClassFixture<FederationFlowFixture>
{
    [Fact]
    public async Task A_first_sign_in_provisions_an_account_and_the_client_gets_the_local_sub_with_amr_fed_and_the_upstreams_then_the_next_lands_on_it()
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        var answer = await FederationFlowFixture.AnswerAsync(await server.StartAsync(browser, "up", pkce), OidcUpstream.Ann.Login, "up");

        using var callback = await FederationFlowFixture.CallbackAsync(browser, "up", answer);
        Assert.StartsWith("/connect/authorize?", (await FederationFlowFixture.OnwardAsync(callback)).OriginalString.Replace(TestClients.Issuer, "", StringComparison.Ordinal),
            StringComparison.Ordinal);
        using var answered = await browser.FollowAsync(callback);
        var (sub, amr) = await server.SubAndAmrAsync(answered, pkce);

        var userId = await server.UserIdAsync(OidcUpstream.Ann.Email);
        Assert.Equal(userId, sub);
        Assert.Equal("fed pwd", amr);
        Assert.True(await server.Database.ScalarAsync<bool>("SELECT email_verified AND password_hash IS NULL FROM users WHERE id = @id::uuid", ("id", userId)));
        Assert.Equal(1, await server.LinksAsync("up", OidcUpstream.Ann.Login));
        Assert.Equal(1, await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_entries WHERE event_type = 'user.external_identity_linked' AND subject_id = @id AND details LIKE '%provisioned%'", ("id", userId)));
        Assert.Equal(1, await server.Database.ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE event_type = 'user.created' AND subject_id = @id", ("id", userId)));

        // Another browser, the same upstream person: the same account, nothing new provisioned.
        var again = PkcePair.New();
        using var other = server.NewBrowser();
        var second = await FederationFlowFixture.AnswerAsync(await server.StartAsync(other, "up", again), OidcUpstream.Ann.Login, "up");
        using var signedIn = await other.FollowAsync(await FederationFlowFixture.CallbackAsync(other, "up", second));
        Assert.Equal((sub, "fed pwd"), await server.SubAndAmrAsync(signedIn, again));
        Assert.Equal(1, await server.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE normalized_email = @e", ("e", OidcUpstream.Ann.Email.ToUpperInvariant())));
    }

    [Fact]
    public async Task An_account_with_the_same_address_is_linked_only_after_its_password_then_the_upstream_alone_signs_in_to_it()
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        var answer = await FederationFlowFixture.AnswerAsync(await server.StartAsync(browser, "up", pkce), OidcUpstream.Ned.Login, "up");

        using var proof = await FederationFlowFixture.CallbackAsync(browser, "up", answer);
        var proofPage = await proof.Content.ReadAsStringAsync();
        Assert.True(proof.StatusCode == HttpStatusCode.OK, proofPage);
        Assert.Contains("An account with the address <strong>ned@upstream.example</strong> exists here", proofPage, StringComparison.Ordinal);
        Assert.Equal(0, await server.LinksAsync("up", OidcUpstream.Ned.Login));

        using var wrong = await browser.SubmitAsync(proofPage, new Dictionary<string, string> { ["password"] = "not-neds-password" });
        var wrongPage = await wrong.Content.ReadAsStringAsync();
        Assert.True(wrong.StatusCode == HttpStatusCode.BadRequest, wrongPage);
        Assert.Contains("The password is incorrect", wrongPage, StringComparison.Ordinal);
        Assert.Equal(0, await server.LinksAsync("up", OidcUpstream.Ned.Login));

        using var proven = await browser.SubmitAsync(wrongPage, new Dictionary<string, string> { ["password"] = FederationFlowFixture.NedPassword });
        await FederationFlowFixture.OnwardAsync(proven);
        using var answered = await browser.FollowAsync(proven);
        var nedId = await server.UserIdAsync("ned");
        Assert.Equal((nedId, "pwd"), await server.SubAndAmrAsync(answered, pkce));
        Assert.Equal(1, await server.LinksAsync("up", OidcUpstream.Ned.Login));
        Assert.Equal(1, await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_entries WHERE event_type = 'user.external_identity_linked' AND subject_id = @id AND details LIKE '%\"linked\"%'", ("id", nedId)));

        // The proof answers once: posting it again changes nothing.
        using var replayed = await browser.SubmitAsync(wrongPage, new Dictionary<string, string> { ["password"] = FederationFlowFixture.NedPassword });
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);

        // From now on the upstream alone signs in to Ned's account.
        var next = PkcePair.New();
        using var other = server.NewBrowser();
        var second = await FederationFlowFixture.AnswerAsync(await server.StartAsync(other, "up", next), OidcUpstream.Ned.Login, "up");
        using var signedIn = await other.FollowAsync(await FederationFlowFixture.CallbackAsync(other, "up", second));
        Assert.Equal((nedId, "fed pwd"), await server.SubAndAmrAsync(signedIn, next));
    }

    [Fact]
    public async Task An_unverified_upstream_address_equal_to_an_accounts_never_links_or_signs_in_without_the_password()
    {
        using var browser = server.NewBrowser();
        var answer = await FederationFlowFixture.AnswerAsync(await server.StartAsync(browser, "up", PkcePair.New()), OidcUpstream.Uma.Login, "up");

        using var proof = await FederationFlowFixture.CallbackAsync(browser, "up", answer);
        var proofPage = await proof.Content.ReadAsStringAsync();
        Assert.True(proof.StatusCode == HttpStatusCode.OK, proofPage);
        Assert.Contains("Link your account", proofPage, StringComparison.Ordinal);

        // Not signed in, nothing linked: the account page still asks for a sign-in.
        using var account = await browser.GetAsync("/account");
        Assert.Equal(HttpStatusCode.SeeOther, account.StatusCode);
        Assert.EndsWith("/account/signin", account.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0, await server.LinksAsync("up", OidcUpstream.Uma.Login));
        Assert.Equal(0, await server.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE username = @u", ("u", OidcUpstream.Uma.Email)));
    }

    [Fact]
    public async Task Without_provisioning_a_person_with_no_account_gets_the_no_account_page()
    {
        var users = await server.RowsAsync("users");
        using var browser = server.NewBrowser();
        var answer = await FederationFlowFixture.AnswerAsync(await server.StartAsync(browser, "closed", PkcePair.New()), OidcUpstream.Ann.Login, "closed");

        using var refused = await FederationFlowFixture.CallbackAsync(browser, "closed", answer);

        var page = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, page);
        Assert.Contains("There is no account here for this Closed identity", page, StringComparison.Ordinal);
        Assert.Equal(users, await server.RowsAsync("users"));
        Assert.Equal(0, await server.LinksAsync("closed", OidcUpstream.Ann.Login));
    }

    [Fact]
    public async Task Allowed_domains_refuse_an_address_outside_them()
    {
        using var browser = server.NewBrowser();
        var answer = await FederationFlowFixture.AnswerAsync(await server.StartAsync(browser, "corp", PkcePair.New()), OidcUpstream.Ned.Login, "corp");

        using var refused = await FederationFlowFixture.CallbackAsync(browser, "corp", answer);

        var page = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, page);
        Assert.Contains("Only verified addresses of the organisations this server allows", page, StringComparison.Ordinal);
        Assert.Equal(0, await server.LinksAsync("corp", OidcUpstream.Ned.Login));
        Assert.True(await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_entries WHERE event_type = 'user.sign_in_failed' AND details LIKE '%email_domain_not_allowed%'") >= 1);
    }

    [Fact]
    public async Task A_callback_without_state_with_a_wrong_state_or_in_another_browser_is_refused_and_leaves_the_round_trip_usable()
    {
        using var browser = server.NewBrowser();
        var answer = await FederationFlowFixture.AnswerAsync(await server.StartAsync(browser, "up", PkcePair.New()), OidcUpstream.Uma.Login, "up");
        var signIns = await server.RowsAsync("external_sign_ins WHERE completed_at IS NOT NULL");

        var withoutState = answer.Where(p => p.Key != "state").ToDictionary();
        var wrongState = new Dictionary<string, string>(answer) { ["state"] = PkcePair.New().Verifier[..43] };
        using var another = server.NewBrowser();
        foreach (var (attempt, parameters) in new[] { (browser, withoutState), (browser, wrongState), (another, answer) })
        {
            using var refused = await FederationFlowFixture.CallbackAsync(attempt, "up", parameters);
            var page = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, page);
            Assert.Contains("This sign-in is not valid", page, StringComparison.Ordinal);
        }

        Assert.Equal(signIns, await server.RowsAsync("external_sign_ins WHERE completed_at IS NOT NULL"));

        // The browser that started it can still finish it (here: the proof page of Uma's local account).
        using var finished = await FederationFlowFixture.CallbackAsync(browser, "up", answer);
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
        Assert.Contains("Link your account", await finished.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_for_one_provider_presented_on_anothers_callback_is_refused()
    {
        using var browser = server.NewBrowser();
        var answer = await FederationFlowFixture.AnswerAsync(await server.StartAsync(browser, "up", PkcePair.New()), OidcUpstream.Uma.Login, "up");

        using var mixedUp = await FederationFlowFixture.CallbackAsync(browser, "upb", answer);

        Assert.Equal(HttpStatusCode.BadRequest, mixedUp.StatusCode);
        Assert.Contains("This sign-in is not valid", await mixedUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await server.LinksAsync("upb", OidcUpstream.Uma.Login));
    }

    [Fact]
    public async Task The_same_answer_twice_is_refused_the_second_time_and_writes_nothing()
    {
        using var browser = server.NewBrowser();
        var answer = await FederationFlowFixture.AnswerAsync(await server.StartAsync(browser, "upb", PkcePair.New()), OidcUpstream.Ned.Login, "upb");
        using var first = await FederationFlowFixture.CallbackAsync(browser, "upb", answer);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var (users, links, audit) = (await server.RowsAsync("users"), await server.RowsAsync("external_identities"), await server.RowsAsync("audit_entries"));

        using var replayed = await FederationFlowFixture.CallbackAsync(browser, "upb", answer);

        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Contains("This sign-in is not valid", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((users, links, audit), (await server.RowsAsync("users"), await server.RowsAsync("external_identities"), await server.RowsAsync("audit_entries")));
    }

    [Fact]
    public async Task An_upstream_that_is_down_gets_a_clear_502_page()
    {
        using var browser = server.NewBrowser();
        var signIns = await server.RowsAsync("external_sign_ins");

        using var pressed = await FederationFlowFixture.PressAsync(browser, await server.SignInPageAsync(browser, PkcePair.New()), "down");

        var page = await pressed.Content.ReadAsStringAsync();
        Assert.True(pressed.StatusCode == HttpStatusCode.BadGateway, page);
        Assert.Contains("Down could not be reached", page, StringComparison.Ordinal);
        Assert.Equal(signIns, await server.RowsAsync("external_sign_ins"));
    }

    [Fact]
    public async Task The_person_cancelling_at_the_upstream_gets_a_page_saying_so()
    {
        using var browser = server.NewBrowser();
        var url = await server.StartAsync(browser, "up", PkcePair.New());
        var state = QueryHelpers.ParseQuery(url.Query)["state"].ToString();

        using var cancelled = await FederationFlowFixture.CallbackAsync(browser, "up",
            new Dictionary<string, string> { ["error"] = "access_denied", ["state"] = state, ["iss"] = server.Upstream.Issuer });

        var page = await cancelled.Content.ReadAsStringAsync();
        Assert.True(cancelled.StatusCode == HttpStatusCode.BadRequest, page);
        Assert.Contains("You cancelled at Upstream", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idp_hint_goes_straight_to_the_upstream_with_the_login_hint_and_an_unknown_or_disabled_one_shows_the_sign_in_page()
    {
        using var browser = server.NewBrowser();
        using var hinted = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New(),
            extra: new Dictionary<string, string> { ["idp_hint"] = "up", ["login_hint"] = OidcUpstream.Ann.Email }));

        Assert.True(hinted.StatusCode == HttpStatusCode.SeeOther, $"{(int)hinted.StatusCode}: {await hinted.Content.ReadAsStringAsync()}");
        var location = hinted.Headers.Location!;
        Assert.StartsWith(server.Upstream.Issuer + "/", location.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(OidcUpstream.Ann.Email, query["login_hint"]);
        Assert.Equal(FederationFlowFixture.CallbackOf("up").AbsoluteUri, query["redirect_uri"]);

        foreach (var hint in new[] { "off", "nobody" })
        {
            using var page = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CF, SignInClients.CFRedirect, "openid", PkcePair.New(),
                extra: new Dictionary<string, string> { ["idp_hint"] = hint }));
            await AuthorizeTesting.AssertLoginPageAsync(page);
        }
    }

    [Fact]
    public async Task A_disabled_provider_has_no_button_and_its_challenge_and_callback_are_refused()
    {
        using var browser = server.NewBrowser();
        var page = await server.SignInPageAsync(browser, PkcePair.New());
        Assert.Contains("id=\"external-up\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"external-off\"", page, StringComparison.Ordinal);

        var (_, fields) = FederationFlowFixture.ButtonForm(page, "up");
        using var challenge = await browser.Http.PostAsync("/account/external/off", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.NotFound, challenge.StatusCode);

        using var callback = await browser.GetAsync("/account/external/off/callback?code=x&state=y");
        Assert.Equal(HttpStatusCode.NotFound, callback.StatusCode);
    }

    [Fact]
    public async Task A_button_post_without_the_anti_forgery_token_starts_nothing()
    {
        using var browser = server.NewBrowser();
        var (action, fields) = FederationFlowFixture.ButtonForm(await server.SignInPageAsync(browser, PkcePair.New()), "up");
        fields.Remove("csrf_token");
        var signIns = await server.RowsAsync("external_sign_ins");

        using var forged = await browser.Http.PostAsync(action, new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
        Assert.Equal(signIns, await server.RowsAsync("external_sign_ins"));
    }

    [Fact]
    public async Task The_account_page_links_another_provider_to_the_signed_in_account()
    {
        using var browser = server.NewBrowser();
        using var signInPage = await browser.GetAsync("/account/signin");
        var csrf = FederationFlowFixture.CsrfToken(await signInPage.Content.ReadAsStringAsync());
        using var signedIn = await browser.Http.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csrf_token"] = csrf, ["username"] = SignInClients.AliceUsername, ["password"] = SignInClients.AlicePassword,
        }));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);

        using var pressed = await browser.Http.PostAsync("/account/external/upb/link", new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf_token"] = csrf }));
        var answer = await FederationFlowFixture.AnswerAsync(await FederationFlowFixture.OnwardAsync(pressed), OidcUpstream.Ann.Login, "upb");

        using var linked = await FederationFlowFixture.CallbackAsync(browser, "upb", answer);

        var page = await linked.Content.ReadAsStringAsync();
        Assert.True(linked.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("Upstream B is now linked to your account", page, StringComparison.Ordinal);
        Assert.Equal(await server.UserIdAsync(SignInClients.AliceUsername), await server.Database.ScalarAsync<string>(
            "SELECT i.user_id::text FROM external_identities i JOIN external_providers p ON p.id = i.provider_id WHERE p.name = 'upb' AND i.subject = 'ann'"));

        // Without a session there is nothing to link to.
        using var stranger = server.NewBrowser();
        using var strangerPage = await stranger.GetAsync("/account/signin");
        var strangerCsrf = FederationFlowFixture.CsrfToken(await strangerPage.Content.ReadAsStringAsync());
        using var refused = await stranger.Http.PostAsync("/account/external/upb/link",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf_token"] = strangerCsrf }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Sign in to your account first", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
