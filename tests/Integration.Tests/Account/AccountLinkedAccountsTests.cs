using System.Net;
using System.Text.RegularExpressions;
using AuthService.Integration.Tests.Federation;
using AuthService.Integration.Tests.SignIn;
using static AuthService.Integration.Tests.Account.AccountPageTesting;

namespace AuthService.Integration.Tests.Account;

/// <summary>
/// The account page's "Linked accounts" (docs/adr/0037 "Administration"): the person's upstream links with an unlink
/// button each, never the last way in; a "Link ..." form for each enabled provider not linked yet, none for a disabled one.
/// </summary>
public sealed partial class AccountLinkedAccountsTests(AuthorizeFixture server) : IClassFixture<AuthorizeFixture>
{
    private const string UnlinkPath = "/account/identities/unlink";

    private async Task ProvidersAsync()
    {
        await FederationTesting.EnsureProviderAsync(server.Factory, "acme", "Acme <ID>");
        await FederationTesting.EnsureProviderAsync(server.Factory, "globex", "Globex");
        await FederationTesting.EnsureProviderAsync(server.Factory, "initech", "Initech", enabled: false);
    }

    [Fact]
    public async Task The_page_lists_the_links_offers_the_enabled_providers_and_unlinks_one()
    {
        await ProvidersAsync();
        var user = await FederationTesting.UserIdAsync(server.Factory, "m07");
        var link = await FederationTesting.LinkAsync(server.Factory, user, "acme", "acme-m07", "m07@acme.example");
        using var browser = server.NewBrowser();

        var page = await AccountAppsTests.SignInToAccountAsync(browser, "m07");

        Assert.Contains("Linked accounts", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Acme &lt;ID&gt;</strong> (m07@acme.example)", page, StringComparison.Ordinal);
        Assert.Contains("last used <time", page, StringComparison.Ordinal);
        Assert.Equal([link.ToString()], IdentityIds(page));
        Assert.Equal(["/account/external/globex/link"], LinkActions(page));
        Assert.Contains(">Link Globex</button>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Initech", page, StringComparison.Ordinal);
        Assert.Equal("'self' https://globex.example", await FormActionAsync(browser));

        using var unlinked = await PostAsync(browser, page, UnlinkPath, ("identity_id", link.ToString()));
        var after = await AssertDoneAsync(browser, unlinked, "identity-unlinked");

        Assert.Empty(IdentityIds(after));
        Assert.Equal(["/account/external/acme/link", "/account/external/globex/link"], LinkActions(after));
        Assert.Empty(await FederationTesting.LinksAsync(server.Factory, user));
        var (actor, details) = Assert.Single(await FederationTesting.AuditAsync(server.Factory, user, "user.external_identity_unlinked"));
        Assert.Equal("user", actor);
        Assert.Contains("\"reason\":\"self\"", details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_way_in_of_an_account_without_a_password_cannot_be_unlinked()
    {
        await ProvidersAsync();
        var user = await FederationTesting.UserIdAsync(server.Factory, "m08");
        var acme = await FederationTesting.LinkAsync(server.Factory, user, "acme", "acme-m08", email: null);
        using var browser = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(browser, "m08");
        await FederationTesting.RemovePasswordAsync(server.Factory, user);

        var page = await AccountPageAsync(browser);
        Assert.Contains("id=\"last-way-in\"", page, StringComparison.Ordinal);
        Assert.Empty(IdentityIds(page));

        using var refused = await PostAsync(browser, page, UnlinkPath, ("identity_id", acme.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("only way you can sign in", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await FederationTesting.LinksAsync(server.Factory, user));

        // With a second link, either may go (the other remains).
        await FederationTesting.LinkAsync(server.Factory, user, "globex", "globex-m08", email: null);
        var two = await AccountPageAsync(browser);
        Assert.DoesNotContain("id=\"last-way-in\"", two, StringComparison.Ordinal);
        Assert.Equal(2, IdentityIds(two).Count);
        using var unlinked = await PostAsync(browser, two, UnlinkPath, ("identity_id", acme.ToString()));
        var after = await AssertDoneAsync(browser, unlinked, "identity-unlinked");
        Assert.Contains("id=\"last-way-in\"", after, StringComparison.Ordinal);
        Assert.Single(await FederationTesting.LinksAsync(server.Factory, user));
    }

    [Theory] // Another person's link, an unknown or a malformed id: 404, and nothing is unlinked.
    [InlineData("other")]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    [InlineData("not-a-guid")]
    public async Task A_link_that_is_not_the_persons_is_not_found(string which)
    {
        await ProvidersAsync();
        var victim = await FederationTesting.UserIdAsync(server.Factory, "m09");
        var victimLinks = await FederationTesting.LinksAsync(server.Factory, victim);
        var victimLink = victimLinks.Count > 0 ? victimLinks[0].Id : await FederationTesting.LinkAsync(server.Factory, victim, "acme", "acme-m09", email: null);
        using var attacker = server.NewBrowser();
        var page = await AccountAppsTests.SignInToAccountAsync(attacker, "m10");

        using var response = await PostAsync(attacker, page, UnlinkPath, ("identity_id", which == "other" ? victimLink.ToString() : which));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(await FederationTesting.LinksAsync(server.Factory, victim));
    }

    [Fact]
    public async Task An_unlink_without_the_anti_forgery_token_changes_nothing()
    {
        await ProvidersAsync();
        var user = await FederationTesting.UserIdAsync(server.Factory, "m11");
        var link = await FederationTesting.LinkAsync(server.Factory, user, "acme", "acme-m11", email: null);
        using var browser = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(browser, "m11");

        using var response = await browser.Http.PostAsync(UnlinkPath, new FormUrlEncodedContent(new Dictionary<string, string> { ["identity_id"] = link.ToString() }));

        await AuthorizeTesting.AssertErrorPageAsync(response);
        Assert.Single(await FederationTesting.LinksAsync(server.Factory, user));
    }

    /// <summary>The account page's CSP <c>form-action</c>: a link form's post is followed by a redirect to the upstream, which browsers check against it.</summary>
    private static async Task<string> FormActionAsync(Infrastructure.Browser browser)
    {
        using var response = await browser.GetAsync(AccountPath);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        return FormAction().Match(policy).Groups[1].Value.Trim();
    }

    private static List<string> IdentityIds(string html) => [.. IdentityId().Matches(html).Select(m => m.Groups[1].Value)];

    private static List<string> LinkActions(string html) => [.. LinkAction().Matches(html).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("form-action ([^;]+)")]
    private static partial Regex FormAction();

    [GeneratedRegex("name=\"identity_id\" value=\"([^\"]+)\"")]
    private static partial Regex IdentityId();

    [GeneratedRegex("action=\"(/account/external/[^\"]+/link)\"")]
    private static partial Regex LinkAction();
}
