using System.Net;
using AuthService.Domain.Common;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// The browser session: single sign-on across clients, the prompts and max_age that force a new sign-in
/// (OIDC Core §3.1.2.1), login_hint, and a new session handle at
/// every sign-in (session fixation, ASVS 7.2.4).
/// </summary>
public sealed class AuthorizeSessionTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    [Fact]
    public async Task A_second_client_in_the_same_browser_skips_the_sign_in_page()
    {
        using var browser = server.NewBrowser();
        AssertCode(await CompleteAsync(browser, await browser.GetAsync(Cw()), "m01"), SignInClients.CWRedirect);

        using var response = await browser.GetAsync(Url(SignInClients.CV, SignInClients.CVRedirect, "openid", PkcePair.New()));

        var html = await AssertConsentPageAsync(response);
        Assert.False(IsLoginPage(html));
        Assert.Contains("Member m01", html, StringComparison.Ordinal);
    }

    [Fact] // prompt=login: the sign-in page even with a session, and after signing in the flow completes (no loop).
    public async Task Prompt_login_shows_the_sign_in_page_despite_a_session_and_then_completes()
    {
        using var browser = server.NewBrowser();
        await SignInThroughCfAsync(browser, "m02");

        var login = await AssertLoginPageAsync(await browser.GetAsync(Cf(("prompt", "login"), ("state", "st-login"))));
        using var signedIn = await browser.SignInAsync(login, "m02", AuthorizeSeed.Password);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        Assert.DoesNotContain("prompt=login", signedIn.Headers.Location!.OriginalString, StringComparison.Ordinal);

        AssertCode(await browser.FollowAsync(signedIn), SignInClients.CFRedirect, "st-login");
    }

    [Fact] // max_age=0 means: sign in again now; once done, the flow completes.
    public async Task Max_age_zero_shows_the_sign_in_page_despite_a_session_and_then_completes()
    {
        using var browser = server.NewBrowser();
        await SignInThroughCfAsync(browser, "m03");

        var login = await AssertLoginPageAsync(await browser.GetAsync(Cf(("max_age", "0"))));
        using var signedIn = await browser.SignInAsync(login, "m03", AuthorizeSeed.Password);

        AssertCode(await browser.FollowAsync(signedIn), SignInClients.CFRedirect);
    }

    [Fact] // prompt=none cannot show the page max_age=0 asks for: login_required.
    public async Task Prompt_none_with_max_age_zero_is_login_required_despite_a_session()
    {
        using var browser = server.NewBrowser();
        await SignInThroughCfAsync(browser, "m08");

        using var response = await browser.GetAsync(Cf(("prompt", "none"), ("max_age", "0")));

        AssertRedirectError(response, SignInClients.CFRedirect, "login_required");
    }

    [Fact] // A recent sign-in satisfies a generous max_age.
    public async Task A_recent_sign_in_satisfies_max_age()
    {
        using var browser = server.NewBrowser();
        await SignInThroughCfAsync(browser, "m04");

        using var response = await browser.GetAsync(Cf(("max_age", "3600")));

        AssertCode(response, SignInClients.CFRedirect);
    }

    [Fact] // max_age=1 after 2 s signs the user in again, and the new auth_time is later.
    public async Task Max_age_one_after_two_seconds_signs_in_again_with_a_later_auth_time()
    {
        using var browser = server.NewBrowser();
        var firstPkce = PkcePair.New();
        var first = await CompleteAsync(browser,
            await browser.GetAsync(Url(SignInClients.CF, SignInClients.CFRedirect, "openid", firstPkce, ("max_age", "3600"))), "m05");
        var firstToken = await IdTokenPayloadAsync(server.Client, AssertCode(first, SignInClients.CFRedirect), firstPkce,
            SignInClients.CF, SignInClients.CFSecret, SignInClients.CFRedirect);
        var firstAuthTime = firstToken["auth_time"]!.GetValue<long>();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var secondPkce = PkcePair.New();
        var login = await AssertLoginPageAsync(await browser.GetAsync(Url(SignInClients.CF, SignInClients.CFRedirect, "openid", secondPkce, ("max_age", "1"))));
        using var signedIn = await browser.SignInAsync(login, "m05", AuthorizeSeed.Password);
        var second = await browser.FollowAsync(signedIn);

        var secondToken = await IdTokenPayloadAsync(server.Client, AssertCode(second, SignInClients.CFRedirect), secondPkce,
            SignInClients.CF, SignInClients.CFSecret, SignInClients.CFRedirect);
        Assert.True(secondToken["auth_time"]!.GetValue<long>() > firstAuthTime,
            $"auth_time {secondToken["auth_time"]} is not later than the first sign-in's {firstAuthTime}");
        Assert.Equal(firstToken["sub"]!.GetValue<string>(), secondToken["sub"]!.GetValue<string>());
    }

    [Fact] // login_hint pre-fills the username, HTML-encoded.
    public async Task Login_hint_pre_fills_the_username_html_encoded()
    {
        using var browser = server.NewBrowser();

        var html = await AssertLoginPageAsync(await browser.GetAsync(Cw(("login_hint", "<b>x</b>"))));

        Assert.Contains("value=\"&lt;b&gt;x&lt;/b&gt;\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>x", html, StringComparison.Ordinal);
    }

    [Fact] // ASVS 7.2.4: a new handle at sign-in and at the re-sign-in of prompt=login; the old one is dead.
    public async Task The_session_cookie_changes_at_every_sign_in_and_the_old_one_stops_working()
    {
        using var browser = server.NewBrowser();
        var first = await SignInThroughCfAsync(browser, "m06");

        var login = await AssertLoginPageAsync(await browser.GetAsync(Cf(("prompt", "login"))));
        using var signedIn = await browser.SignInAsync(login, "m06", AuthorizeSeed.Password);
        var second = SetCookieValue(signedIn, AuthorizeSeed.SessionCookie);
        AssertCode(await browser.FollowAsync(signedIn), SignInClients.CFRedirect);

        Assert.False(string.IsNullOrEmpty(second), "Signing in again set no session cookie.");
        Assert.NotEqual(first, second);
        using var raw = server.NewRawClient();
        using var withOld = await SendAsync(raw, HttpMethod.Get, Cf(("prompt", "none")), new Dictionary<string, string> { [AuthorizeSeed.SessionCookie] = first });
        AssertRedirectError(withOld, SignInClients.CFRedirect, "login_required");
        using var withNew = await SendAsync(raw, HttpMethod.Get, Cf(("prompt", "none")), new Dictionary<string, string> { [AuthorizeSeed.SessionCookie] = second! });
        AssertCode(withNew, SignInClients.CFRedirect);
    }

    [Fact] // Session fixation: a handle planted before sign-in is never the one that gets signed in.
    public async Task A_planted_session_cookie_is_replaced_at_sign_in()
    {
        using var raw = server.NewRawClient();
        var planted = OpaqueToken.New();
        var url = Cf();
        var cookies = new Dictionary<string, string> { [AuthorizeSeed.SessionCookie] = planted };
        using var page = await SendAsync(raw, HttpMethod.Get, url, cookies);
        var login = await AssertLoginPageAsync(page);
        cookies[AuthorizeSeed.CsrfCookie] = SetCookieValue(page, AuthorizeSeed.CsrfCookie)!;
        var form = Browser.HiddenFields(login);
        form["username"] = "m07";
        form["password"] = AuthorizeSeed.Password;

        using var signedIn = await SendAsync(raw, HttpMethod.Post, FormAction(login), cookies, form);

        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var issued = SetCookieValue(signedIn, AuthorizeSeed.SessionCookie);
        Assert.False(string.IsNullOrEmpty(issued), "Signing in set no session cookie.");
        Assert.NotEqual(planted, issued);
        using var withPlanted = await SendAsync(raw, HttpMethod.Get, Cf(("prompt", "none")), new Dictionary<string, string> { [AuthorizeSeed.SessionCookie] = planted });
        AssertRedirectError(withPlanted, SignInClients.CFRedirect, "login_required");
        using var withIssued = await SendAsync(raw, HttpMethod.Get, Cf(("prompt", "none")), new Dictionary<string, string> { [AuthorizeSeed.SessionCookie] = issued! });
        AssertCode(withIssued, SignInClients.CFRedirect);
    }
}
