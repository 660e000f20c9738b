using System.Net;
using AuthService.Integration.Tests.Account;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Passkeys;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// Removals of an account's ways in posted at the same instant (docs/adr/0037 "Ways in, one rule"): each removal moves the
/// account's version in its save, so of removals checked on the same state one is saved and the others conflict (a 409
/// page, or a 409 problem in the admin API), or find the last way in and are refused; never a 500, never an account left
/// without a way in by the person's own removals.
/// </summary>
public sealed class WaysInRaceTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    private const string UnlinkPath = "/account/identities/unlink";

    /// <summary>An account signed in in a browser, with two links and (after the sign-in) no password.</summary>
    private async Task<(Guid User, Browser Browser, Guid[] Links)> TwoLinksNoPasswordAsync(string prefix)
    {
        await FederationTesting.EnsureProviderAsync(server.Factory, "acme", "Acme ID");
        await FederationTesting.EnsureProviderAsync(server.Factory, "globex", "Globex");
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername(prefix);
        var user = Guid.Parse((await admin.CreateAsync(username)).Id());
        var links = new[]
        {
            await FederationTesting.LinkAsync(server.Factory, user, "acme", "acme-" + username, email: null),
            await FederationTesting.LinkAsync(server.Factory, user, "globex", "globex-" + username, email: null),
        };
        var browser = server.NewBrowser();
        await AccountAppsTests.SignInToAccountAsync(browser, username, UserAdmin.Password);
        await FederationTesting.RemovePasswordAsync(server.Factory, user);
        return (user, browser, links);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public async Task Parallel_unlinks_on_the_account_page_leave_one_link(int requests)
    {
        var (user, browser, links) = await TwoLinksNoPasswordAsync("race");
        using var _ = browser;
        var page = await AccountPageTesting.AccountPageAsync(browser);

        var responses = await Task.WhenAll(Enumerable.Range(0, requests)
            .Select(i => AccountPageTesting.PostAsync(browser, page, UnlinkPath, ("identity_id", links[i % 2].ToString()))));

        try
        {
            var statuses = responses.Select(r => r.StatusCode).ToList();
            // 404: that link was gone already when the request read the account (a removal before it was saved).
            Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.SeeOther, HttpStatusCode.Conflict, HttpStatusCode.BadRequest, HttpStatusCode.NotFound }));
            Assert.True(statuses.Count(s => s == HttpStatusCode.SeeOther) <= 1, string.Join(", ", statuses));
            Assert.NotEmpty(await FederationTesting.LinksAsync(server.Factory, user));
            foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            {
                Assert.Contains("changed while this was being saved", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task An_unlink_and_a_passkey_removal_at_the_same_instant_leave_one_way_in()
    {
        await FederationTesting.EnsureProviderAsync(server.Factory, "acme", "Acme ID");
        using var admin = await server.AdminAsync();
        var username = UserAdmin.NewUsername("racepk");
        var user = Guid.Parse((await admin.CreateAsync(username)).Id());
        var link = await FederationTesting.LinkAsync(server.Factory, user, "acme", "acme-" + username, email: null);
        using var browser = server.NewBrowser();
        using var authenticator = new SoftwareAuthenticator();
        await AccountAppsTests.SignInToAccountAsync(browser, username, UserAdmin.Password);
        using (var registered = await PasskeyTests.PostRegistrationAsync(browser, authenticator, options => authenticator.Register(options)))
        {
            Assert.Equal(HttpStatusCode.SeeOther, registered.StatusCode);
        }

        await FederationTesting.RemovePasswordAsync(server.Factory, user);
        var passkeyId = await server.Database.ScalarAsync<string>("SELECT id::text FROM passkeys WHERE user_id = @u::uuid", ("u", user.ToString()));
        var page = await AccountPageTesting.AccountPageAsync(browser);

        var responses = await Task.WhenAll(
            AccountPageTesting.PostAsync(browser, page, UnlinkPath, ("identity_id", link.ToString())),
            AccountPageTesting.PostAsync(browser, page, "/account/passkeys/remove", ("id", passkeyId)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Array.ForEach(responses, r => r.Dispose());
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.SeeOther, HttpStatusCode.Conflict, HttpStatusCode.BadRequest }));
        Assert.True(statuses.Count(s => s == HttpStatusCode.SeeOther) <= 1, string.Join(", ", statuses));
        var left = await FederationTesting.LinksAsync(server.Factory, user);
        var passkeys = await server.Database.ScalarAsync<long>("SELECT count(*) FROM passkeys WHERE user_id = @u::uuid", ("u", user.ToString()));
        Assert.True(left.Count + passkeys >= 1, "The account lost its last way in.");
    }

    [Fact]
    public async Task An_administrators_unlink_racing_the_persons_own_is_a_409_or_a_success_never_a_500()
    {
        var (user, browser, links) = await TwoLinksNoPasswordAsync("raceadm");
        using var _ = browser;
        using var admin = await server.AdminAsync();
        var page = await AccountPageTesting.AccountPageAsync(browser);

        var responses = await Task.WhenAll(
            admin.DeleteAsync($"/admin/users/{user}/identities/{links[0]}"),
            admin.DeleteAsync($"/admin/users/{user}/identities/{links[1]}"),
            AccountPageTesting.PostAsync(browser, page, UnlinkPath, ("identity_id", links[1].ToString())));

        var (first, second, own) = (responses[0].StatusCode, responses[1].StatusCode, responses[2].StatusCode);
        var conflicts = new List<string>();
        foreach (var response in responses.Take(2).Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            conflicts.Add(await response.Content.ReadAsStringAsync());
        }

        Array.ForEach(responses, r => r.Dispose());
        Assert.All(new[] { first, second }, s => Assert.Contains(s, new[] { HttpStatusCode.NoContent, HttpStatusCode.Conflict, HttpStatusCode.NotFound }));
        Assert.Contains(own, new[] { HttpStatusCode.SeeOther, HttpStatusCode.Conflict, HttpStatusCode.BadRequest, HttpStatusCode.NotFound });
        Assert.All(conflicts, body => Assert.Contains("changed while this request was applied", body, StringComparison.Ordinal));
        Assert.True(first == HttpStatusCode.NoContent || second == HttpStatusCode.NoContent || own == HttpStatusCode.SeeOther,
            $"The first removal saved wins: {first}, {second}, {own}");
    }
}
