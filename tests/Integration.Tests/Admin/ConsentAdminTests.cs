using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Api = AuthService.Integration.Tests.Infrastructure.Admin;

namespace AuthService.Integration.Tests.Admin;

/// <summary>
/// Consents through the admin API: listed per user and per client after a user consented on the real pages,
/// and revoked (ASVS 10.7.3, ASVS 10.4.9): the refresh token of that user and client then fails with
/// <c>invalid_grant</c> and the next authorization asks for consent again. Each test uses its own user and client pairs.
/// </summary>
public sealed class ConsentAdminTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    private const string Scope = "openid profile offline_access";

    [Fact]
    public async Task A_consent_given_on_the_pages_is_listed_per_user_and_per_client_and_revoking_it_ends_its_grants()
    {
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, server.Client, SignInClients.CW, Scope);
        var alice = await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.AliceUsername);
        using var admin = await server.AdminAsync();

        var byUser = await (await admin.GetAsync($"/admin/consents?user_id={alice}")).ExpectAsync(HttpStatusCode.OK);
        var listed = Assert.Single(byUser.GetProperty("items").EnumerateArray());
        Assert.Equal(alice, listed.GetProperty("user_id").GetString(), ignoreCase: true);
        Assert.Equal(SignInClients.CW, listed.GetProperty("client_id").GetString());
        Assert.Equal(Scope.Split(' ').Order(StringComparer.Ordinal), listed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).Order(StringComparer.Ordinal));
        Assert.EndsWith("Z", listed.GetProperty("granted_at").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("Z", listed.GetProperty("updated_at").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, byUser.GetProperty("next_cursor").ValueKind);

        var byClient = await (await admin.GetAsync($"/admin/consents?client_id={SignInClients.CW}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(byClient.GetProperty("items").EnumerateArray(), c => string.Equals(c.GetProperty("user_id").GetString(), alice, StringComparison.OrdinalIgnoreCase));
        Assert.All(byClient.GetProperty("items").EnumerateArray(), c => Assert.Equal(SignInClients.CW, c.GetProperty("client_id").GetString()));
        var both = await (await admin.GetAsync($"/admin/consents?user_id={alice}&client_id={SignInClients.CW}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(both.GetProperty("items").EnumerateArray());

        using (var revoked = await admin.DeleteAsync($"/admin/consents/{alice}/{SignInClients.CW}"))
        {
            await revoked.ExpectAsync(HttpStatusCode.NoContent);
        }

        // Gone, its refresh token fails, the access tokens of its grant are inactive, and the client must ask again.
        await (await admin.GetAsync($"/admin/consents/{alice}/{SignInClients.CW}")).ProblemAsync(HttpStatusCode.NotFound);
        var after = await (await admin.GetAsync($"/admin/consents?user_id={alice}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(after.GetProperty("items").EnumerateArray());
        await CodeGrantSupport.RefreshFailsAsync(server.Client, SignInClients.CW, tokens.RefreshToken!, "the refresh token of a revoked consent");
        await CodeGrantSupport.AssertInactiveAsync(server.Client, tokens.AccessToken, SignInClients.CW, "an access token of a revoked consent's grant");
        using (var again = await browser.GetAsync(Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, Scope, PkcePair.New())))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Contains("name=\"decision\"", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var entry = Assert.Single(await admin.AuditAsync($"subject={alice}&event_type=consent.revoked"));
        Assert.Equal(AdminClients.Admin, entry.GetProperty("actor_id").GetString());
        Assert.Equal("admin_client", entry.GetProperty("actor_type").GetString());
        Assert.Equal(SignInClients.CW, entry.GetProperty("client_id").GetString());
        Assert.Contains(await admin.AuditAsync($"subject={alice}&event_type=refresh_token_family.revoked"),
            e => e.GetProperty("details").GetProperty("reason").GetString() == "consent_revoked");

        // Revoking it again: there is nothing to revoke.
        await (await admin.DeleteAsync($"/admin/consents/{alice}/{SignInClients.CW}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_consents_of_a_user_are_paged_and_a_stale_If_Match_does_not_revoke()
    {
        using var browser = server.NewBrowser();
        var bob = await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.BobUsername);
        await browser.CodeAsync(SignInClients.CV, SignInClients.CVRedirect, "openid", PkcePair.New(), username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        await browser.CodeAsync(SignInClients.CM, "https://cm.example/cb1", "openid", PkcePair.New(), username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        await browser.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid", PkcePair.New(), username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        using var admin = await server.AdminAsync();

        var first = await (await admin.GetAsync($"/admin/consents?user_id={bob}&limit=2")).ExpectAsync(HttpStatusCode.OK);
        var cursor = first.GetProperty("next_cursor").GetString();
        Assert.False(string.IsNullOrEmpty(cursor));
        var second = await (await admin.GetAsync($"/admin/consents?user_id={bob}&limit=2&cursor={Uri.EscapeDataString(cursor!)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
        var clients = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(c => c.GetProperty("client_id").GetString()!).ToList();
        Assert.Equal([SignInClients.CM, SignInClients.CV, SignInClients.CW], clients.Order(StringComparer.Ordinal));
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());

        using var read = await admin.GetAsync($"/admin/consents/{bob}/{SignInClients.CM}");
        var consent = await read.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["openid"], consent.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        await (await admin.SendAsync(Api.Request(HttpMethod.Delete, $"/admin/consents/{bob}/{SignInClients.CM}", ifMatch: "\"999\"")))
            .ProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await admin.GetAsync($"/admin/consents/{bob}/{SignInClients.CM}")).ExpectAsync(HttpStatusCode.OK);
        using var revoked = await admin.SendAsync(Api.Request(HttpMethod.Delete, $"/admin/consents/{bob}/{SignInClients.CM}", ifMatch: read.Headers.ETag!.ToString()));
        await revoked.ExpectAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Without_a_filter_every_consent_is_listed_and_paged_like_the_other_lists()
    {
        using var browser = server.NewBrowser();
        await browser.CodeAsync(SignInClients.PN, SignInClients.PNRedirect, "openid", PkcePair.New());
        var alice = await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.AliceUsername);
        using var bobBrowser = server.NewBrowser();
        await bobBrowser.CodeAsync(SignInClients.PN, SignInClients.PNRedirect, "openid", PkcePair.New(), username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        var bob = await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.BobUsername);
        using var admin = await server.AdminAsync();
        try
        {
            var all = await (await admin.GetAsync("/admin/consents?limit=200")).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(JsonValueKind.Null, all.GetProperty("next_cursor").ValueKind);
            var everything = Keys(all);

            // One item per page, following next_cursor: the same consents in the same order, none twice, none left out.
            var paged = new List<(string UserId, string ClientId)>();
            var cursor = "";
            do
            {
                var page = await (await admin.GetAsync("/admin/consents?limit=1" + (cursor.Length > 0 ? "&cursor=" + Uri.EscapeDataString(cursor) : "")))
                    .ExpectAsync(HttpStatusCode.OK);
                paged.AddRange(Keys(page));
                cursor = page.GetProperty("next_cursor").GetString() ?? "";
            }
            while (cursor.Length > 0 && paged.Count <= everything.Count);

            Assert.Equal(everything, paged);
            Assert.Contains((alice.ToLowerInvariant(), SignInClients.PN), everything);
            Assert.Contains((bob.ToLowerInvariant(), SignInClients.PN), everything);
            Assert.Equal(everything.Select(k => k.UserId).Order(StringComparer.Ordinal), everything.Select(k => k.UserId));

            // The cursor of the unfiltered list is bound to the consents list, as every list's is.
            var first = await (await admin.GetAsync("/admin/consents?limit=1")).ExpectAsync(HttpStatusCode.OK);
            var consentsCursor = Uri.EscapeDataString(first.GetProperty("next_cursor").GetString()!);
            await (await admin.GetAsync("/admin/users?cursor=" + consentsCursor)).ProblemAsync(HttpStatusCode.BadRequest, "cursor");
        }
        finally
        {
            // Leave alice's and bob's consents as the other tests of this class expect them.
            (await admin.DeleteAsync($"/admin/consents/{alice}/{SignInClients.PN}")).Dispose();
            (await admin.DeleteAsync($"/admin/consents/{bob}/{SignInClients.PN}")).Dispose();
        }

        static List<(string UserId, string ClientId)> Keys(JsonElement page) =>
            [.. page.GetProperty("items").EnumerateArray().Select(c => (c.GetProperty("user_id").GetString()!.ToLowerInvariant(), c.GetProperty("client_id").GetString()!))];
    }

    [Fact]
    public async Task A_code_issued_before_the_revocation_can_no_longer_be_redeemed()
    {
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.CV, SignInClients.CVRedirect, Scope, pkce);
        var alice = await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.AliceUsername);
        using var admin = await server.AdminAsync();

        await (await admin.DeleteAsync($"/admin/consents/{alice}/{SignInClients.CV}")).ExpectAsync(HttpStatusCode.NoContent);

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CV, code, pkce.Verifier, SignInClients.CVRedirect),
            "a code issued under a consent revoked before its redemption");
    }

    [Fact]
    public async Task An_unknown_consent_is_404()
    {
        using var admin = await server.AdminAsync();
        var bob = await CodeGrantSupport.UserIdAsync(server.Database, SignInClients.BobUsername);

        await (await admin.DeleteAsync($"/admin/consents/{Guid.NewGuid()}/{SignInClients.CW}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/admin/consents/{Guid.NewGuid()}/{SignInClients.CW}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync($"/admin/consents/{bob}/no-such-client")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/admin/consents?user_id=not-a-uuid", "user_id")]
    [InlineData("/admin/consents?user_id=00000000-0000-0000-0000-000000000000", "user_id")]
    [InlineData("/admin/consents?client_id=CW&limit=0", "limit")]
    [InlineData("/admin/consents?client_id=CW&cursor=forged", "cursor")]
    [InlineData("/admin/consents/not-a-uuid/CW", "user_id")]
    public async Task Bad_input_is_400_naming_the_field(string path, string field)
    {
        using var admin = await server.AdminAsync();

        await (await admin.GetAsync(path)).ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Revoking_with_a_malformed_user_id_is_400_naming_user_id()
    {
        using var admin = await server.AdminAsync();

        await (await admin.DeleteAsync("/admin/consents/not-a-uuid/CW")).ProblemAsync(HttpStatusCode.BadRequest, "user_id");
    }
}
