using System.Net;
using AuthService.Integration.Tests.Federation.Upstreams;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// Sign-in with the GitHub preset through the whole flow (docs/adr/0037), over the real pipeline and PostgreSQL, with
/// <see cref="FakeGitHub"/> as GitHub (OAuth 2.0, no ID token: the person comes from <c>/user</c> and <c>/user/emails</c>):
/// the sign-in page's button, GitHub's authorization page, the callback, and the client's ID token with the local
/// <c>sub</c> and <c>amr</c> <c>fed</c> alone (GitHub states no method). Provisioning takes only a verified address, and an
/// unverified one equal to a local account's links nothing without the proof.
/// </summary>
public sealed class GitHubFlowTests(FederationFlowFixture server) : IClassFixture<FederationFlowFixture>
{
    private const string GitHub = FederationFlowFixture.GitHubProvider;

    [Fact]
    public async Task A_first_GitHub_sign_in_provisions_an_account_from_the_verified_primary_address_and_the_next_lands_on_it()
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        var answer = await AuthorizeAsync(browser, FakeGitHub.Octo, pkce);
        Assert.False(answer.ContainsKey("iss"), "GitHub sends no RFC 9207 iss; the per-provider callback is the mix-up defence.");

        using var callback = await FederationFlowFixture.CallbackAsync(browser, GitHub, answer);
        using var answered = await browser.FollowAsync(callback);
        var (sub, amr) = await server.SubAndAmrAsync(answered, pkce);

        var primary = FakeGitHub.Octo.Emails.Single(e => e.Primary).Email;
        var userId = await server.UserIdAsync(primary);
        Assert.Equal(userId, sub);
        Assert.Equal("fed", amr);
        Assert.True(await server.Database.ScalarAsync<bool>(
            "SELECT email = @e AND email_verified AND password_hash IS NULL AND name = @n FROM users WHERE id = @id::uuid",
            ("e", primary), ("n", FakeGitHub.Octo.Name!), ("id", userId)));
        // The link is keyed by GitHub's numeric id, never by the renamable login or the address.
        Assert.Equal(1, await server.LinksAsync(GitHub, FakeGitHub.Octo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var users = await server.RowsAsync("users");

        // Another browser, the same GitHub user: the same account, nothing new provisioned.
        var again = PkcePair.New();
        using var other = server.NewBrowser();
        var second = await AuthorizeAsync(other, FakeGitHub.Octo, again);
        using var signedIn = await other.FollowAsync(await FederationFlowFixture.CallbackAsync(other, GitHub, second));
        Assert.Equal((sub, "fed"), await server.SubAndAmrAsync(signedIn, again));
        Assert.Equal(users, await server.RowsAsync("users"));
    }

    [Fact]
    public async Task Provisioning_takes_the_verified_address_and_never_the_unverified_primary()
    {
        var pkce = PkcePair.New();
        using var browser = server.NewBrowser();
        var answer = await AuthorizeAsync(browser, FakeGitHub.Nameless, pkce);

        using var answered = await browser.FollowAsync(await FederationFlowFixture.CallbackAsync(browser, GitHub, answer));
        var (sub, amr) = await server.SubAndAmrAsync(answered, pkce);

        var verified = FakeGitHub.Nameless.Emails.Single(e => e.Verified).Email;
        var unverified = FakeGitHub.Nameless.Emails.Single(e => e.Primary).Email;
        Assert.Equal((await server.UserIdAsync(verified), "fed"), (sub, amr));
        Assert.True(await server.Database.ScalarAsync<bool>("SELECT email = @e AND email_verified AND name = @n FROM users WHERE id = @id::uuid",
            ("e", verified), ("n", FakeGitHub.Nameless.Login), ("id", sub)));
        Assert.Equal(0, await server.Database.ScalarAsync<long>("SELECT count(*) FROM users WHERE normalized_email = @e", ("e", unverified.ToUpperInvariant())));
    }

    [Fact]
    public async Task A_GitHub_user_whose_addresses_are_all_unverified_is_not_linked_to_the_local_account_with_that_address()
    {
        var unverified = FakeGitHub.Unverified.Emails.Single().Email;
        var subject = FakeGitHub.Unverified.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var users = await server.RowsAsync("users");
        using var browser = server.NewBrowser();
        var answer = await AuthorizeAsync(browser, FakeGitHub.Unverified, PkcePair.New());

        using var callback = await FederationFlowFixture.CallbackAsync(browser, GitHub, answer);

        // The address is una-local's: the person must sign in to that account first; nothing is linked, provisioned or signed in.
        var page = await callback.Content.ReadAsStringAsync();
        Assert.True(callback.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("Link your account", page, StringComparison.Ordinal);
        Assert.Contains($"<strong>{unverified}</strong>", page, StringComparison.Ordinal);
        Assert.Equal(0, await server.LinksAsync(GitHub, subject));
        Assert.Equal(users, await server.RowsAsync("users"));
        using var account = await browser.GetAsync("/account");
        Assert.Equal(HttpStatusCode.SeeOther, account.StatusCode);
        Assert.EndsWith("/account/signin", account.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>Presses CF's GitHub button and signs in at GitHub's authorization page as <paramref name="user"/>: the answer for our callback.</summary>
    private async Task<Dictionary<string, string>> AuthorizeAsync(Browser browser, GitHubUser user, PkcePair pkce) =>
        await FakeGitHub.AuthorizeAsync(await server.StartAsync(browser, GitHub, pkce), FederationFlowFixture.CallbackOf(GitHub), user.Login);
}
