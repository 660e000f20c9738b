using System.Net;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.Account.AccountPageTesting;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.Account;

/// <summary>
/// The account page's apps (ASVS 10.7.2, 10.7.3): the consents the person gave, and withdrawing one, which revokes that
/// client's refresh tokens of that person and nothing else, and makes the next authorization ask again.
/// </summary>
public sealed class AccountAppsTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    private const string Scope = "openid offline_access";
    private const string WithdrawPath = "/account/apps/withdraw";

    [Fact]
    public async Task Withdrawing_revokes_the_refresh_token_keeps_the_session_and_the_next_authorization_asks_again()
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, Scope, username: "m01", password: AuthorizeSeed.Password);

        var page = await AccountPageAsync(browser);
        Assert.Contains("Apps you allowed", page, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"client_id\" value=\"CW\">", page, StringComparison.Ordinal);

        using var withdrawn = await PostAsync(browser, page, WithdrawPath, ("client_id", SignInClients.CW));
        var after = await AssertDoneAsync(browser, withdrawn, "app-withdrawn");

        Assert.DoesNotContain("name=\"client_id\" value=\"CW\"", after, StringComparison.Ordinal);
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "the consent was withdrawn");
        await AccountPageAsync(browser); // this browser stays signed in
        await AssertConsentPageAsync(await browser.GetAsync(Cw(("scope", Scope))));
    }

    [Fact]
    public async Task Withdrawing_one_app_leaves_the_other_apps_and_other_people_alone()
    {
        var (other, otherJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = other;
        var othersTokens = await EndSessionFlows.SignInAsync(other, otherJar, server.Client, Scope, username: "m02", password: AuthorizeSeed.Password);
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var __ = browser;
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, Scope, username: "m03", password: AuthorizeSeed.Password);
        var cv = await EndSessionFlows.SignInAsync(browser, jar, server.Client, Scope, SignInClients.CV, SignInClients.CVSecret, SignInClients.CVRedirect,
            username: "m03", password: AuthorizeSeed.Password);

        var page = await AccountPageAsync(browser);
        await AssertDoneAsync(browser, await PostAsync(browser, page, WithdrawPath, ("client_id", SignInClients.CW)), "app-withdrawn");

        using var cvRefresh = await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CV, SignInClients.CVSecret, cv.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, cvRefresh.StatusCode);
        using var othersRefresh = await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, othersTokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, othersRefresh.StatusCode);
    }

    [Theory] // Only the person's own consents: a client they never allowed (or none, or an absurd id) is 404, whoever else allowed it.
    [InlineData("CW")]
    [InlineData("no-such-client")]
    [InlineData("")]
    public async Task A_consent_the_person_did_not_give_is_not_found(string clientId)
    {
        var (other, otherJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = other;
        var othersTokens = await EndSessionFlows.SignInAsync(other, otherJar, server.Client, Scope, username: "m04", password: AuthorizeSeed.Password);
        using var browser = server.NewBrowser();
        var page = await SignInToAccountAsync(browser, "m05");

        using var response = await PostAsync(browser, page, WithdrawPath, ("client_id", clientId));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var refresh = await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, othersTokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Theory] // RFC 6749 §10.12: a post without the anti-forgery token, or with another one, changes nothing.
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task A_post_without_the_right_anti_forgery_token_is_refused(string? token)
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, Scope, username: "m06", password: AuthorizeSeed.Password);
        await AccountPageAsync(browser);
        var form = new Dictionary<string, string> { ["client_id"] = SignInClients.CW };
        if (token is not null)
        {
            form["csrf_token"] = token == "wrong" ? new string('A', 43) : token;
        }

        using var response = await browser.Http.PostAsync(WithdrawPath, new FormUrlEncodedContent(form));

        await AssertErrorPageAsync(response, "invalid_request");
        using var refresh = await CodeFlowTokens.RefreshAsync(server.Client, SignInClients.CW, SignInClients.CWSecret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Contains("name=\"client_id\" value=\"CW\"", await AccountPageAsync(browser), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_session_a_withdrawal_goes_to_the_sign_in()
    {
        using var browser = server.NewBrowser();
        using var signIn = await browser.GetAsync("/account/signin");
        var html = await signIn.Content.ReadAsStringAsync();

        using var response = await PostAsync(browser, html, WithdrawPath, ("client_id", SignInClients.CW));

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/account/signin", response.Headers.Location?.OriginalString);
    }

    /// <summary>Signs in on the account page's own sign-in form; returns the account page.</summary>
    internal static async Task<string> SignInToAccountAsync(Browser browser, string member, string password = AuthorizeSeed.Password)
    {
        using var start = await browser.GetAsync(AccountPath);
        Assert.Equal(HttpStatusCode.SeeOther, start.StatusCode);
        using var login = await browser.FollowAsync(start);
        var html = await AssertLoginPageAsync(login);
        using var signedIn = await browser.SignInAsync(html, member, password);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        return await AccountPageAsync(browser);
    }
}
