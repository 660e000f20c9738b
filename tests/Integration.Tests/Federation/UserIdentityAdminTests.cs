using System.Net;
using AuthService.Integration.Tests.Admin;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Federation;

/// <summary><c>/admin/users/{id}/identities</c>: a user's upstream links listed, one unlinked (audited with reason admin), 404s.</summary>
public sealed class UserIdentityAdminTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task An_administrator_lists_a_users_links_and_unlinks_one()
    {
        using var admin = await fixture.AdminAsync();
        await FederationTesting.EnsureProviderAsync(fixture.Factory, "acme", "Acme ID");
        await FederationTesting.EnsureProviderAsync(fixture.Factory, "globex", "Globex");
        var userId = (await admin.CreateAsync(UserAdmin.NewUsername("fed"))).Id();
        var user = Guid.Parse(userId);
        var acme = await FederationTesting.LinkAsync(fixture.Factory, user, "acme", "acme-subject-1", "jane@acme.example");
        var globex = await FederationTesting.LinkAsync(fixture.Factory, user, "globex", "globex-subject-1", email: null);

        var listed = await (await admin.GetAsync($"/admin/users/{userId}/identities")).ExpectAsync(HttpStatusCode.OK);
        var items = listed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var first = items.Single(i => i.GetProperty("id").GetString() == acme.ToString());
        Assert.Equal("acme", first.GetProperty("provider").GetString());
        Assert.Equal("Acme ID", first.GetProperty("provider_display_name").GetString());
        Assert.Equal("acme-subject-1", first.GetProperty("subject").GetString());
        Assert.Equal("jane@acme.example", first.GetProperty("email").GetString());
        Assert.True(first.TryGetProperty("linked_at", out _));
        Assert.True(first.TryGetProperty("last_sign_in_at", out _));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("next_cursor").ValueKind);

        using var unlinked = await admin.DeleteAsync($"/admin/users/{userId}/identities/{acme}");
        await unlinked.ExpectAsync(HttpStatusCode.NoContent);

        var remaining = await FederationTesting.LinksAsync(fixture.Factory, user);
        Assert.Equal(globex, Assert.Single(remaining).Id);
        var entry = await admin.AssertAuditedAsync("user", userId, "user.external_identity_unlinked");
        Assert.Equal("admin", entry.GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(acme.ToString(), entry.GetProperty("details").GetProperty("identity_id").GetString());
    }

    [Fact]
    public async Task Another_users_link_or_an_unknown_one_is_not_found_and_stays()
    {
        using var admin = await fixture.AdminAsync();
        await FederationTesting.EnsureProviderAsync(fixture.Factory, "acme", "Acme ID");
        var owner = Guid.Parse((await admin.CreateAsync(UserAdmin.NewUsername("own"))).Id());
        var other = (await admin.CreateAsync(UserAdmin.NewUsername("oth"))).Id();
        var link = await FederationTesting.LinkAsync(fixture.Factory, owner, "acme", "acme-subject-owner", email: null);

        foreach (var path in new[]
        {
            $"/admin/users/{other}/identities/{link}",
            $"/admin/users/{owner}/identities/{Guid.NewGuid()}",
            $"/admin/users/{owner}/identities/not-a-guid",
            $"/admin/users/{Guid.NewGuid()}/identities/{link}",
        })
        {
            using var response = await admin.DeleteAsync(path);
            await response.ProblemAsync(HttpStatusCode.NotFound);
        }

        using (var unknownUser = await admin.GetAsync($"/admin/users/{Guid.NewGuid()}/identities"))
        {
            await unknownUser.ProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Single(await FederationTesting.LinksAsync(fixture.Factory, owner));
        var none = await (await admin.GetAsync($"/admin/users/{other}/identities")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(none.GetProperty("items").EnumerateArray());
    }
}
