using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.Account.AccountPageTesting;
using static AuthService.Integration.Tests.SignIn.AuthorizeTesting;

namespace AuthService.Integration.Tests.Account;

/// <summary>
/// The account page's sessions (ASVS 7.5.2): the person's active sessions with this device marked; ending one or all
/// others ends them as a logout does (the other browser is signed out, its refresh tokens revoked) while this browser
/// stays signed in; another person's session id is 404 and changes nothing.
/// </summary>
public sealed partial class AccountSessionsTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    private const string Scope = "openid offline_access";

    [Fact]
    public async Task Ending_another_session_signs_that_browser_out_and_revokes_its_refresh_token()
    {
        var (phone, phoneJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = phone;
        var phoneTokens = await EndSessionFlows.SignInAsync(phone, phoneJar, server.Client, Scope, username: "m01", password: AuthorizeSeed.Password);
        using var laptop = server.NewBrowser();
        var page = await AccountAppsTests.SignInToAccountAsync(laptop, "m01");

        var ids = SessionIds(page);
        Assert.Single(ids);
        Assert.Contains("(this device)", page, StringComparison.Ordinal);
        Assert.Contains("apps: ", page, StringComparison.Ordinal);

        using var ended = await PostAsync(laptop, page, "/account/sessions/end", ("session_id", ids[0]));
        var after = await AssertDoneAsync(laptop, ended, "session-ended");

        Assert.Empty(SessionIds(after));
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, phoneTokens.RefreshToken!, "the phone's session was ended");
        using var phonePage = await phone.GetAsync(AccountPath);
        Assert.Equal(HttpStatusCode.SeeOther, phonePage.StatusCode);
        await AccountPageAsync(laptop);
    }

    [Fact]
    public async Task Ending_all_others_keeps_only_this_browser()
    {
        using var first = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(first, "m02");
        using var second = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(second, "m02");
        using var third = server.NewBrowser();
        var page = await AccountAppsTests.SignInToAccountAsync(third, "m02");
        Assert.Equal(2, SessionIds(page).Count);

        using var ended = await PostAsync(third, page, "/account/sessions/end-others");
        var after = await AssertDoneAsync(third, ended, "other-sessions-ended");

        Assert.Empty(SessionIds(after));
        foreach (var other in new[] { first, second })
        {
            using var response = await other.GetAsync(AccountPath);
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        }
    }

    [Theory] // A session of another person, an unknown or a malformed id: 404, and nothing ends.
    [InlineData("other")]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    [InlineData("not-a-guid")]
    public async Task A_session_that_is_not_the_persons_is_not_found(string which)
    {
        using var victim = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(victim, "m03");
        using var victimSecond = server.NewBrowser();
        var victimPage = await AccountAppsTests.SignInToAccountAsync(victimSecond, "m03");
        using var attacker = server.NewBrowser();
        var page = await AccountAppsTests.SignInToAccountAsync(attacker, "m04");

        using var response = await PostAsync(attacker, page, "/account/sessions/end", ("session_id", which == "other" ? SessionIds(victimPage)[0] : which));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AccountPageAsync(victim);
    }

    [Fact] // RFC 6749 §10.12
    public async Task Ending_without_the_anti_forgery_token_changes_nothing()
    {
        using var other = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(other, "m05");
        using var browser = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(browser, "m05");

        using var response = await browser.Http.PostAsync("/account/sessions/end-others", new FormUrlEncodedContent(new Dictionary<string, string>()));

        await AssertErrorPageAsync(response, "invalid_request");
        await AccountPageAsync(other);
    }

    private static List<string> SessionIds(string html) => [.. SessionId().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("name=\"session_id\" value=\"([^\"]*)\"")]
    private static partial Regex SessionId();
}
