using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>Wording of the failed sign-in page (Pages.SignIn).</summary>
internal static partial class SignInFailure
{
    public const string Message = "The username or password is incorrect, or this account cannot sign in right now.";
    public const string Throttled = "Too many failed attempts";

    /// <summary>Posts the login form of a fresh page of <paramref name="url"/>; returns the response and its body.</summary>
    public static async Task<(HttpResponseMessage Response, string Html)> AttemptAsync(Browser browser, string url, string username, string password)
    {
        var login = await AssertLoginPageAsync(await browser.GetAsync(url));
        var response = await browser.SignInAsync(login, username, password);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A failed attempt: the sign-in page again, 400, with the one failure message, and no session.</summary>
    public static void AssertFailed(HttpResponseMessage response, string html, string message = Message)
    {
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected the failed sign-in page (400), got {(int)response.StatusCode} (Location: {response.Headers.Location}): {html}");
        Assert.Null(response.Headers.Location);
        Assert.True(IsLoginPage(html), "The failed attempt does not show the sign-in form again.");
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }

    public static string ErrorParagraph(string html) => ErrorPattern().Match(html).Value;

    [GeneratedRegex("<p class=\"error\"[^>]*>[^<]*</p>")]
    private static partial Regex ErrorPattern();
}

/// <summary>
/// Every failed sign-in looks the same (ASVS 6.3.8): wrong password, unknown user, locked account and
/// disabled account give the same status and the same page. Own server: the failures count against the
/// source address and the accounts.
/// </summary>
public sealed class SignInPageFailureTests(SignInPageFailureTests.Fixture server) : IClassFixture<SignInPageFailureTests.Fixture>
{
    public sealed class Fixture : AuthorizeFixture;

    [Fact]
    public async Task Wrong_password_unknown_user_locked_and_disabled_accounts_get_the_same_status_and_page()
    {
        using var browser = server.NewBrowser();
        var url = Cw();

        // m02 locked by five wrong passwords (LockoutPolicy.Default), then tried with the right one.
        for (var i = 0; i < 5; i++)
        {
            var (wrong, wrongHtml) = await SignInFailure.AttemptAsync(browser, url, "m02", "not-the-password-" + i);
            SignInFailure.AssertFailed(wrong, wrongHtml);
        }

        // m03 disabled by an administrator (no admin API yet: straight in the store).
        var disabled = await server.Database.QueryAsync("UPDATE users SET disabled = true WHERE username = @u RETURNING id", ("u", "m03"));
        Assert.Single(disabled);

        var attempts = new (string Case, string Username, string Password)[]
        {
            ("wrong password", "m01", "not-the-password"),
            ("unknown user", "no-such-user", AuthorizeSeed.Password),
            ("unknown e-mail", "nobody@example.com", AuthorizeSeed.Password),
            ("locked account, right password", "m02", AuthorizeSeed.Password),
            ("disabled account, right password", "m03", AuthorizeSeed.Password),
        };
        var pages = new List<(string Case, int Status, string Error, string Page)>();
        foreach (var (name, username, password) in attempts)
        {
            var (response, html) = await SignInFailure.AttemptAsync(browser, url, username, password);
            SignInFailure.AssertFailed(response, html);
            pages.Add((name, (int)response.StatusCode, SignInFailure.ErrorParagraph(html), WithoutVariableParts(html)));
        }

        var first = pages[0];
        Assert.All(pages, page =>
        {
            Assert.True(page.Status == first.Status, $"{page.Case}: status {page.Status}, {first.Case}: {first.Status}");
            Assert.True(page.Error == first.Error, $"{page.Case}: '{page.Error}', {first.Case}: '{first.Error}'");
            Assert.True(page.Page == first.Page, $"{page.Case} and {first.Case} give different pages:\n{page.Page}\n{first.Page}");
        });

        // The others are unaffected: m04 signs in.
        using var other = server.NewBrowser();
        AssertCode(await CompleteAsync(other, await other.GetAsync(Cf()), "m04"), SignInClients.CFRedirect);
    }
}

/// <summary>
/// Temporary lockout per account (ASVS 6.1.1, CVE-2026-9798): after five wrong passwords even the right one
/// fails, with the same message. Own server, so bob's lockout touches no other test.
/// </summary>
public sealed class SignInPageLockoutTests(SignInPageLockoutTests.Fixture server) : IClassFixture<SignInPageLockoutTests.Fixture>
{
    public sealed class Fixture : SignInFixture;

    [Fact]
    public async Task After_five_wrong_passwords_the_right_password_fails_with_the_same_message()
    {
        using var browser = server.NewBrowser();
        var url = Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New());
        string? wrongPage = null;
        for (var i = 0; i < 5; i++)
        {
            var (wrong, html) = await SignInFailure.AttemptAsync(browser, url, SignInClients.BobUsername, "wrong-password-" + i);
            SignInFailure.AssertFailed(wrong, html);
            wrongPage = WithoutVariableParts(html);
        }

        var (locked, lockedHtml) = await SignInFailure.AttemptAsync(browser, url, SignInClients.BobUsername, SignInClients.BobPassword);

        SignInFailure.AssertFailed(locked, lockedHtml);
        Assert.Equal(wrongPage, WithoutVariableParts(lockedHtml));

        // Not by e-mail either.
        var (byEmail, byEmailHtml) = await SignInFailure.AttemptAsync(browser, url, "bob@example.com", SignInClients.BobPassword);
        SignInFailure.AssertFailed(byEmail, byEmailHtml);

        // The lockout is bob's alone: alice signs in from the same browser.
        var (alice, aliceHtml) = await SignInFailure.AttemptAsync(browser, url, SignInClients.AliceUsername, SignInClients.AlicePassword);
        Assert.True(alice.StatusCode == HttpStatusCode.SeeOther, $"alice could not sign in: {(int)alice.StatusCode} {aliceHtml}");
        Assert.NotNull(SetCookieValue(alice, AuthorizeSeed.SessionCookie));
    }
}

/// <summary>
/// Failures per source address (Auth:SignIn:LoginFailuresPerAddress): after the limit even a right
/// password is refused, with the "too many attempts" text (ASVS 6.1.1, 6.3.1). Own server with a limit of 3.
/// </summary>
public sealed class SignInPageThrottleTests(SignInPageThrottleTests.Fixture server) : IClassFixture<SignInPageThrottleTests.Fixture>
{
    public sealed class Fixture : SignInFixture
    {
        protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
        {
            ["Auth:SignIn:LoginFailuresPerAddress"] = "3",
        };
    }

    [Fact]
    public async Task After_three_failures_from_an_address_the_fourth_attempt_is_refused_even_with_the_right_password()
    {
        using var browser = server.NewBrowser();
        var url = Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New());
        for (var i = 0; i < 3; i++)
        {
            var (failed, html) = await SignInFailure.AttemptAsync(browser, url, "no-such-user-" + i, "wrong-password-" + i);
            SignInFailure.AssertFailed(failed, html);
            Assert.DoesNotContain(SignInFailure.Throttled, html, StringComparison.Ordinal);
        }

        var (refused, refusedHtml) = await SignInFailure.AttemptAsync(browser, url, SignInClients.AliceUsername, SignInClients.AlicePassword);

        SignInFailure.AssertFailed(refused, refusedHtml, SignInFailure.Throttled);
        Assert.DoesNotContain(SignInFailure.Message, refusedHtml, StringComparison.Ordinal);

        // Another browser from the same address is refused too: the limit is per address, not per cookie.
        using var other = server.NewBrowser();
        var (again, againHtml) = await SignInFailure.AttemptAsync(other, url, SignInClients.AliceUsername, SignInClients.AlicePassword);
        SignInFailure.AssertFailed(again, againHtml, SignInFailure.Throttled);
    }
}

/// <summary>
/// An account that can no longer sign in gets nothing through its existing browser session either
/// (CVE-2026-9798: "existing consent plus prompt=none" must not mint tokens for a locked user; ASVS 7.4.2: disabling
/// a user ends their sessions). Own server: the lockout counts against the source address.
/// </summary>
public sealed class SignInPageLockedSessionTests(SignInPageLockedSessionTests.Fixture server) : IClassFixture<SignInPageLockedSessionTests.Fixture>
{
    public sealed class Fixture : AuthorizeFixture;

    [Fact]
    public async Task A_session_of_a_locked_account_mints_no_tokens_with_prompt_none()
    {
        using var victim = server.NewBrowser();
        await SignInThroughCfAsync(victim, "m01");
        AssertCode(await victim.GetAsync(Cf(("prompt", "none"))), SignInClients.CFRedirect);

        using var attacker = server.NewBrowser();
        for (var i = 0; i < 5; i++)
        {
            var (failed, html) = await SignInFailure.AttemptAsync(attacker, Cf(), "m01", "not-the-password-" + i);
            SignInFailure.AssertFailed(failed, html);
        }

        var pkce = PkcePair.New();
        using var response = await victim.GetAsync(Url(SignInClients.CF, SignInClients.CFRedirect, "openid", pkce, ("prompt", "none")));

        // Either the session no longer counts (login_required), or its code is refused at the token endpoint.
        var parameters = AssertAuthorizationResponse(response, SignInClients.CFRedirect, "st-1");
        if (parameters.TryGetValue("code", out var code))
        {
            using var tokens = await CodeFlowTokens.RedeemAsync(server.Client, SignInClients.CF, SignInClients.CFSecret, code, pkce.Verifier, SignInClients.CFRedirect);
            await OAuthAssert.TokenErrorAsync(tokens, HttpStatusCode.BadRequest, "invalid_grant");
        }
        else
        {
            AssertRedirectError(response, SignInClients.CFRedirect, "login_required");
        }
    }

    [Fact] // ASVS 7.4.2.
    public async Task A_session_of_a_disabled_account_no_longer_counts()
    {
        using var browser = server.NewBrowser();
        await SignInThroughCfAsync(browser, "m02");
        var disabled = await server.Database.QueryAsync("UPDATE users SET disabled = true WHERE username = @u RETURNING id", ("u", "m02"));
        Assert.Single(disabled);

        using var silent = await browser.GetAsync(Cf(("prompt", "none")));
        AssertRedirectError(silent, SignInClients.CFRedirect, "login_required");

        using var interactive = await browser.GetAsync(Cf());
        await AssertLoginPageAsync(interactive);
    }
}
