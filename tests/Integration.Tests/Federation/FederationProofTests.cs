using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Federation.Upstreams;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Passkeys;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// docs/adr/0037 "Proof by a linked provider or a passkey", over the real pipeline, PostgreSQL and the real upstream (two
/// providers, <c>up</c> and <c>upb</c>, at the same oidc-provider): the proof page offers the providers already linked to
/// the account and its passkeys (only after a trusted verified address); the other provider's answer must be a link of
/// that account; the passkey must be one of its own; each failure counts on the round trip; success links and signs in.
/// </summary>
public sealed partial class FederationProofTests(FederationFlowFixture server) : IClassFixture<FederationFlowFixture>
{
    /// <summary>Signs <paramref name="username"/> in on the account page and links <paramref name="provider"/> as the upstream <paramref name="login"/>.</summary>
    private async Task LinkFromAccountPageAsync(string username, string password, string provider, string login)
    {
        using var browser = server.NewBrowser();
        using var signInPage = await browser.GetAsync("/account/signin");
        var csrf = FederationFlowFixture.CsrfToken(await signInPage.Content.ReadAsStringAsync());
        using var signedIn = await browser.Http.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["csrf_token"] = csrf, ["username"] = username, ["password"] = password,
        }));
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        using var pressed = await browser.Http.PostAsync($"/account/external/{provider}/link",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf_token"] = csrf }));
        var answer = await FederationFlowFixture.AnswerAsync(await FederationFlowFixture.OnwardAsync(pressed), login, provider);
        using var linked = await FederationFlowFixture.CallbackAsync(browser, provider, answer);
        Assert.Contains("is now linked to your account", await linked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>CF's sign-in with <paramref name="provider"/> as the upstream <paramref name="login"/>: the proof page (200).</summary>
    private async Task<string> ProofPageAsync(Browser browser, PkcePair pkce, string login, string provider = "up")
    {
        var answer = await FederationFlowFixture.AnswerAsync(await server.StartAsync(browser, provider, pkce), login, provider);
        using var proof = await FederationFlowFixture.CallbackAsync(browser, provider, answer);
        var page = await proof.Content.ReadAsStringAsync();
        Assert.True(proof.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("Link your account", page, StringComparison.Ordinal);
        return page;
    }

    /// <summary>The proof page's "Sign in with X instead": the upstream's answer for <paramref name="provider"/>'s callback as <paramref name="login"/>.</summary>
    private static async Task<Dictionary<string, string>> ProveWithAsync(Browser browser, string proofPage, string provider, string login)
    {
        using var pressed = await FederationFlowFixture.PressAsync(browser, proofPage, provider);
        return await FederationFlowFixture.AnswerAsync(await FederationFlowFixture.OnwardAsync(pressed), login, provider);
    }

    private static string SignInIdOf(string page) => SignInField().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException(page);

    private Task<long> AttemptsAsync(string signInId) =>
        server.Database.ScalarAsync<long>("SELECT proof_attempts FROM external_sign_ins WHERE id = @id::uuid", ("id", signInId));

    [Fact]
    public async Task A_provider_already_linked_to_the_account_proves_it_only_with_that_accounts_identity_in_the_same_browser_once()
    {
        await LinkFromAccountPageAsync("ned", FederationFlowFixture.NedPassword, "upb", OidcUpstream.Ned.Login);
        var nedId = await server.UserIdAsync("ned");
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        var page = await ProofPageAsync(browser, pkce, OidcUpstream.Ned.Login);
        var signInId = SignInIdOf(page);

        // The linked provider is offered by its name; never the provider being linked, the upstream account or a passkey the account lacks.
        Assert.Contains(">Sign in with Upstream B instead</button>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"external-up\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"passkey-proof\"", page, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(page, Regex.Escape(OidcUpstream.Ned.Email)));

        // Another upstream person at that provider is not a link of this account: the proof fails and counts.
        using (var stranger = await FederationFlowFixture.CallbackAsync(browser, "upb", await ProveWithAsync(browser, page, "upb", OidcUpstream.Ann.Login)))
        {
            var failed = await stranger.Content.ReadAsStringAsync();
            Assert.True(stranger.StatusCode == HttpStatusCode.BadRequest, failed);
            Assert.Contains("That did not prove this account is yours", failed, StringComparison.Ordinal);
        }

        Assert.Equal(1, await AttemptsAsync(signInId));
        Assert.Equal(0, await server.LinksAsync("up", OidcUpstream.Ned.Login));
        Assert.Equal(1, await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_entries WHERE event_type = 'user.sign_in_failed' AND subject_id = @id AND details LIKE '%link_proof_not_linked%'", ("id", nedId)));

        // Another browser's round trip of Ned whose proof stage expires while its proof is at the upstream: nothing is linked.
        using (var late = server.NewBrowser())
        {
            var latePage = await ProofPageAsync(late, PkcePair.New(), OidcUpstream.Ned.Login);
            var lateAnswer = await ProveWithAsync(late, latePage, "upb", OidcUpstream.Ned.Login);
            await server.Database.QueryAsync("UPDATE external_sign_ins SET proof_expires_at = now() - interval '1 minute' WHERE id = @id::uuid RETURNING id",
                ("id", SignInIdOf(latePage)));
            using var expired = await FederationFlowFixture.CallbackAsync(late, "upb", lateAnswer);
            Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
            Assert.Equal(0, await server.LinksAsync("up", OidcUpstream.Ned.Login));
        }

        // Two proof round trips begun; the right person's answer delivered in another browser is refused and spends nothing.
        var first = await ProveWithAsync(browser, page, "upb", OidcUpstream.Ned.Login);
        var second = await ProveWithAsync(browser, page, "upb", OidcUpstream.Ned.Login);
        using (var another = server.NewBrowser())
        using (var elsewhere = await FederationFlowFixture.CallbackAsync(another, "upb", first))
        {
            Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
            Assert.Contains("This sign-in is not valid", await elsewhere.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // In its own browser it proves the account: linked, signed in with amr fed and the proving upstream's values.
        using var proven = await FederationFlowFixture.CallbackAsync(browser, "upb", first);
        await FederationFlowFixture.OnwardAsync(proven);
        using var answered = await browser.FollowAsync(proven);
        Assert.Equal((nedId, "fed pwd"), await server.SubAndAmrAsync(answered, pkce));
        Assert.Equal(1, await server.LinksAsync("up", OidcUpstream.Ned.Login));
        Assert.Equal(2, await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM audit_entries WHERE event_type = 'user.external_identity_linked' AND subject_id = @id AND details LIKE '%\"linked\"%'",
            ("id", nedId))); // upb from the account page, up by the proof

        // The round trip is proven: the replayed answer, and the other proof round trip, find nothing to prove.
        foreach (var late in new[] { first, second })
        {
            using var refused = await FederationFlowFixture.CallbackAsync(browser, "upb", late);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("This sign-in is not valid", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(1, await server.LinksAsync("up", OidcUpstream.Ned.Login));
    }

    [Fact]
    public async Task An_unverified_address_is_offered_the_password_only_and_a_forged_proof_button_starts_nothing()
    {
        await LinkFromAccountPageAsync("uma-local", FederationFlowFixture.UmaPassword, "upb", OidcUpstream.Uma.Login);
        using var browser = server.NewBrowser();
        var page = await ProofPageAsync(browser, PkcePair.New(), OidcUpstream.Uma.Login);

        Assert.DoesNotContain("Upstream B", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"passkey-proof\"", page, StringComparison.Ordinal);

        var (signIns, ceremonies) = (await server.RowsAsync("external_sign_ins"), await server.RowsAsync("passkey_ceremonies"));
        var forged = Browser.HiddenFields(page);
        forged["purpose"] = "proof";
        using var pressed = await browser.Http.PostAsync("/account/external/upb", new FormUrlEncodedContent(forged));
        Assert.Equal(HttpStatusCode.BadRequest, pressed.StatusCode);
        Assert.Contains("This sign-in is not valid", await pressed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(signIns, await server.RowsAsync("external_sign_ins"));

        using var passkey = await browser.GetAsync("/account/external-link/proof/passkey?sign_in=" + SignInIdOf(page));
        Assert.Equal(HttpStatusCode.BadRequest, passkey.StatusCode);
        Assert.Equal(ceremonies, await server.RowsAsync("passkey_ceremonies"));
    }

    [Fact]
    public async Task A_passkey_of_the_account_proves_it_another_is_refused_and_counted_and_a_spent_ceremony_proves_nothing()
    {
        // Alice (with a password) registers a passkey; her address then becomes Ann's, the upstream person no other test here links.
        using var authenticator = new SoftwareAuthenticator();
        using (var owner = server.NewBrowser())
        {
            using var signInPage = await owner.GetAsync("/account/signin");
            using var signedIn = await owner.SubmitAsync(await signInPage.Content.ReadAsStringAsync(),
                new Dictionary<string, string> { ["username"] = SignInClients.AliceUsername, ["password"] = SignInClients.AlicePassword });
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            using var registered = await PasskeyTests.PostRegistrationAsync(owner, authenticator, options => authenticator.Register(options));
            Assert.Equal(HttpStatusCode.SeeOther, registered.StatusCode);
        }

        var aliceId = (await server.Database.QueryAsync("UPDATE users SET email = @e, normalized_email = upper(@e), email_verified = true WHERE username = @u RETURNING id::text",
            ("e", OidcUpstream.Ann.Email), ("u", SignInClients.AliceUsername))).Single()[0].ToString()!;

        // A round trip of Ann in another browser whose proof stage has expired: no ceremony for it.
        using (var late = server.NewBrowser())
        {
            var latePage = await ProofPageAsync(late, PkcePair.New(), OidcUpstream.Ann.Login);
            await server.Database.QueryAsync("UPDATE external_sign_ins SET proof_expires_at = now() - interval '1 minute' WHERE id = @id::uuid RETURNING id",
                ("id", SignInIdOf(latePage)));
            using var expired = await late.GetAsync(PasskeyLink(latePage));
            Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        }

        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        var page = await ProofPageAsync(browser, pkce, OidcUpstream.Ann.Login);
        var signInId = SignInIdOf(page);
        Assert.DoesNotContain("instead</button>", page, StringComparison.Ordinal);

        // The ceremony names this account's credential only; another authenticator's assertion is refused and counted.
        var ceremony = await CeremonyAsync(browser, page);
        var allowed = JsonNode.Parse(PasskeyTests.Options(ceremony))!["allowCredentials"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([SoftwareAuthenticator.ToBase64Url(authenticator.CredentialId)], allowed);
        using var stranger = new SoftwareAuthenticator();
        using (var refused = await browser.SubmitAsync(ceremony, new Dictionary<string, string> { ["credential"] = stranger.Sign(PasskeyTests.Options(ceremony)) }))
        {
            var failed = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, failed);
            Assert.Contains("That did not prove this account is yours", failed, StringComparison.Ordinal);
        }

        Assert.Equal(1, await AttemptsAsync(signInId));
        Assert.Equal(0, await server.LinksAsync("up", OidcUpstream.Ann.Login));

        // The account's passkey on a fresh ceremony: linked, signed in as a passkey signs in (docs/adr/0035: hwk or swk, user, mfa).
        ceremony = await CeremonyAsync(browser, page);
        var assertion = new Dictionary<string, string> { ["credential"] = authenticator.Sign(PasskeyTests.Options(ceremony)) };
        using var proven = await browser.SubmitAsync(ceremony, assertion);
        await FederationFlowFixture.OnwardAsync(proven);
        using var answered = await browser.FollowAsync(proven);
        var (sub, amr) = await server.SubAndAmrAsync(answered, pkce);
        Assert.Equal(aliceId, sub);
        Assert.Matches("^(hwk|swk) user mfa$", amr);
        Assert.Equal(1, await server.LinksAsync("up", OidcUpstream.Ann.Login));

        // The same assertion again: the ceremony is spent and the round trip proven.
        using var replayed = await browser.SubmitAsync(ceremony, assertion);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Equal(1, await server.LinksAsync("up", OidcUpstream.Ann.Login));
    }

    private static string PasskeyLink(string page) =>
        WebUtility.HtmlDecode(PasskeyProofLink().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException(page));

    /// <summary>The proof page's "Use a passkey": its ceremony page (200, the script under the page's nonce).</summary>
    private static async Task<string> CeremonyAsync(Browser browser, string page)
    {
        using var begun = await browser.GetAsync(PasskeyLink(page));
        var ceremony = await begun.Content.ReadAsStringAsync();
        Assert.True(begun.StatusCode == HttpStatusCode.OK, ceremony);
        PasskeyTests.AssertCeremonyPage(begun, ceremony);
        return ceremony;
    }

    [GeneratedRegex("<a id=\"passkey-proof\" href=\"([^\"]*)\"")]
    private static partial Regex PasskeyProofLink();

    [GeneratedRegex("name=\"sign_in\" value=\"([^\"]*)\"")]
    private static partial Regex SignInField();
}
