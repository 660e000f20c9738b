using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// The consent page (ASVS 10.7): deny is access_denied at the client, allow is remembered per
/// user and client for the scopes granted, new scopes and prompt=consent ask again, a first-party client
/// is never asked about, and the page says in words what is asked, for which client.
/// </summary>
public sealed partial class ConsentTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    [Fact] // RFC 9207 §2: deny goes to the client as access_denied with state and iss, and no code.
    public async Task Deny_sends_access_denied_to_the_client_and_grants_nothing()
    {
        using var browser = server.NewBrowser();

        using var response = await CompleteAsync(browser, await browser.GetAsync(Cw(("state", "st-deny"))), "m01", allow: false);

        AssertRedirectError(response, SignInClients.CWRedirect, "access_denied", "st-deny");
        await AssertConsentPageAsync(await browser.GetAsync(Cw()));
    }

    [Fact]
    public async Task Allow_is_remembered_for_the_scopes_granted_and_a_new_scope_asks_again()
    {
        using var browser = server.NewBrowser();
        AssertCode(await CompleteAsync(browser, await browser.GetAsync(Cw(("scope", "openid profile"))), "m02"), SignInClients.CWRedirect);

        // The same scopes, in another order, and a subset: no page.
        AssertCode(await browser.GetAsync(Cw(("scope", "profile openid"))), SignInClients.CWRedirect);
        AssertCode(await browser.GetAsync(Cw(("scope", "openid"))), SignInClients.CWRedirect);

        // A new scope: asked again, and only then granted.
        var consent = await AssertConsentPageAsync(await browser.GetAsync(Cw(("scope", "openid email"))));
        Assert.Contains("See your e-mail address", consent, StringComparison.Ordinal);
        AssertCode(await browser.FollowAsync(await browser.ConsentAsync(consent, allow: true)), SignInClients.CWRedirect);
        AssertCode(await browser.GetAsync(Cw(("scope", "openid profile email"))), SignInClients.CWRedirect);
    }

    [Fact] // The consent of one user is not another's.
    public async Task A_consent_belongs_to_the_user_who_gave_it()
    {
        using var first = server.NewBrowser();
        AssertCode(await CompleteAsync(first, await first.GetAsync(Cw()), "m07"), SignInClients.CWRedirect);
        using var second = server.NewBrowser();

        var login = await AssertLoginPageAsync(await second.GetAsync(Cw()));
        using var signedIn = await second.SignInAsync(login, "m08", AuthorizeSeed.Password);

        await AssertConsentPageAsync(await second.FollowAsync(signedIn));
    }

    [Fact] // prompt=consent asks even when granted, and after Allow the flow completes (no loop).
    public async Task Prompt_consent_forces_the_consent_page()
    {
        using var browser = server.NewBrowser();
        AssertCode(await CompleteAsync(browser, await browser.GetAsync(Cw()), "m03"), SignInClients.CWRedirect);

        var consent = await AssertConsentPageAsync(await browser.GetAsync(Cw(("prompt", "consent"), ("state", "st-again"))));
        using var allowed = await browser.ConsentAsync(consent, allow: true);
        Assert.Equal(HttpStatusCode.SeeOther, allowed.StatusCode);
        Assert.DoesNotContain("prompt=consent", allowed.Headers.Location!.OriginalString, StringComparison.Ordinal);

        AssertCode(await browser.FollowAsync(allowed), SignInClients.CWRedirect, "st-again");
    }

    [Fact] // A client registered with require_consent=false: straight from sign-in to the code.
    public async Task A_first_party_client_never_shows_the_consent_page()
    {
        using var browser = server.NewBrowser();
        var login = await AssertLoginPageAsync(await browser.GetAsync(Cf(("scope", "openid profile email offline_access api.read"))));

        using var signedIn = await browser.SignInAsync(login, "m04", AuthorizeSeed.Password);

        AssertCode(await browser.FollowAsync(signedIn), SignInClients.CFRedirect);
        AssertCode(await browser.GetAsync(Cf(("scope", "openid email"))), SignInClients.CFRedirect);
    }

    [Fact] // The scopes in words, the client by name (HTML-encoded), and the page's headers (RFC 9700 §4.16).
    public async Task The_consent_page_names_the_client_and_the_scopes_in_words()
    {
        using var browser = server.NewBrowser();
        var login = await AssertLoginPageAsync(await browser.GetAsync(
            Url(AuthorizeSeed.HtmlClient, AuthorizeSeed.HtmlClientRedirect, "openid profile email api.read", PkcePair.New())));
        using var signedIn = await browser.SignInAsync(login, "m05", AuthorizeSeed.Password);

        using var response = await browser.FollowAsync(signedIn);

        var html = await AssertConsentPageAsync(response);
        var name = ClientName().Match(html);
        Assert.True(name.Success, "The consent page does not name the client.");
        Assert.Equal(AuthorizeSeed.HtmlClientName, WebUtility.HtmlDecode(name.Groups[1].Value));
        Assert.DoesNotContain("<b>Evil", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        var items = ListItems().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(4, items.Count);
        Assert.Contains("Sign you in and know who you are", items);
        Assert.Contains("See your name and username", items);
        Assert.Contains("See your e-mail address", items);
        Assert.Contains(items, item => item.Contains("api.read", StringComparison.Ordinal));
        Assert.Contains("value=\"allow\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"deny\"", html, StringComparison.Ordinal);

        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("no-store", response.Header("Cache-Control"));
        OAuthAssert.SecurityHeaders(response);
        var policy = response.Header("Content-Security-Policy") ?? "";
        Assert.Contains("form-action 'self' https://ch.example;", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("'nonce-", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_access_is_described_in_words()
    {
        using var browser = server.NewBrowser();
        var login = await AssertLoginPageAsync(await browser.GetAsync(Cw(("scope", "openid offline_access"))));
        using var signedIn = await browser.SignInAsync(login, "m06", AuthorizeSeed.Password);

        var html = await AssertConsentPageAsync(await browser.FollowAsync(signedIn));

        Assert.Contains("Stay connected when you are not using the application", html, StringComparison.Ordinal);
        Assert.Contains("<strong>CW</strong>", html, StringComparison.Ordinal);
    }

    [Fact] // Without a session, a consent post goes back to sign in, and grants nothing.
    public async Task A_consent_post_without_a_session_goes_back_to_the_sign_in_page()
    {
        using var raw = server.NewRawClient();
        var url = Cw(("state", "st-nosession"));
        using var page = await SendAsync(raw, HttpMethod.Get, url, new Dictionary<string, string>());
        var login = await AssertLoginPageAsync(page);
        var cookies = new Dictionary<string, string> { [AuthorizeSeed.CsrfCookie] = SetCookieValue(page, AuthorizeSeed.CsrfCookie)! };
        var form = Browser.HiddenFields(login);
        form["decision"] = "allow";

        using var response = await SendAsync(raw, HttpMethod.Post, "/account/consent", cookies, form);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith(TestClients.Issuer + AuthorizePath + "?", location, StringComparison.Ordinal);
        Assert.Null(SetCookieValue(response, AuthorizeSeed.SessionCookie));
        using var next = await SendAsync(raw, HttpMethod.Get, location, cookies);
        await AssertLoginPageAsync(next);
    }

    [GeneratedRegex("<p><strong>(.*?)</strong> \\(")]
    private static partial Regex ClientName();

    [GeneratedRegex("<li>(.*?)</li>")]
    private static partial Regex ListItems();
}
