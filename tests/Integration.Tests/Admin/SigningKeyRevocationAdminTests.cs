using System.Net;
using AuthService.Integration.Tests.Infrastructure;
using Api = AuthService.Integration.Tests.Infrastructure.Admin;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Admin;

/// <summary>
/// Emergency revocation of the active signing key (RFC 7517): gone from the JWKS at once, its
/// tokens inactive at introspection and refused at userinfo and at the admin API, and a replacement signs
/// at once. It changes the server's key ring, so it has a server of its own (its own fixture instance).
/// </summary>
public sealed class SigningKeyRevocationAdminTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Revoking_the_active_key_unpublishes_it_at_once_invalidates_its_tokens_and_a_replacement_signs()
    {
        using var browser = server.NewBrowser();
        var userTokens = await CodeGrantSupport.TokensAsync(browser, server.Client, SignInClients.CW, "openid profile");
        var clientToken = await server.Client.C1TokenAsync();
        var adminToken = await server.AdminTokenAsync();
        var kid = PublishedKeys.KidOf(userTokens.AccessToken);
        Assert.Equal(kid, PublishedKeys.KidOf(clientToken));
        await CodeGrantSupport.AssertActiveAsync(server.Client, userTokens.AccessToken, SignInClients.CW);
        await EndSessionFlows.UserInfoClaimsAsync(await EndSessionFlows.UserInfoAsync(server.Client, userTokens.AccessToken));
        using var admin = await server.AdminAsync();

        using var response = await admin.PostAsync($"/admin/signing-keys/{kid}/revoke", null);
        var revoked = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("revoked", revoked.GetProperty("state").GetString());
        Assert.EndsWith("Z", revoked.GetProperty("revoked_at").GetString(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);

        // Gone from the JWKS immediately (no wait for the periodic refresh).
        var jwks = await server.Client.GetJwksAsync();
        Assert.DoesNotContain(kid, PublishedKeys.Keys(jwks).Select(k => k.Kid));

        // Its tokens no longer validate here.
        await CodeGrantSupport.AssertInactiveAsync(server.Client, userTokens.AccessToken, SignInClients.CW, "a user's access token signed by the revoked key");
        await BackChannel.InactiveAsync(await server.Client.IntrospectAsync(clientToken, BackChannel.C1Basic), "a client token signed by the revoked key");
        using (var userInfo = await EndSessionFlows.UserInfoAsync(server.Client, userTokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, userInfo.StatusCode);
        }

        using (var staleAdmin = server.Factory.CreateClient())
        {
            staleAdmin.DefaultRequestHeaders.Authorization = new("Bearer", adminToken);
            Assert.Equal(HttpStatusCode.Unauthorized, (await staleAdmin.GetAsync("/admin/signing-keys")).StatusCode);
        }

        // A replacement signs at once: new tokens carry it, are published and valid.
        using var freshAdmin = await server.AdminAsync();
        var active = await (await freshAdmin.GetAsync("/admin/signing-keys?state=active")).ExpectAsync(HttpStatusCode.OK);
        var replacement = Assert.Single(active.GetProperty("items").EnumerateArray(), k => k.GetProperty("alg").GetString() == "ES256").GetProperty("kid").GetString()!;
        Assert.NotEqual(kid, replacement);
        var fresh = await server.Client.C1TokenAsync();
        Assert.Equal(replacement, PublishedKeys.KidOf(fresh));
        await BackChannel.ActiveAsync(await server.Client.IntrospectAsync(fresh, BackChannel.C1Basic));
        await AccessTokens.AssertValidAsync(fresh, await server.Client.GetJwksAsync(), TestClients.Issuer, TestClients.Issuer);
        await server.Database.AssertOneSignerPerAlgorithmAsync("after revoking the active key");

        // The second revocation is refused by the key's state, not a 500; nothing changes.
        await (await freshAdmin.PostAsync($"/admin/signing-keys/{kid}/revoke", null)).ProblemAsync(HttpStatusCode.BadRequest, "state");
        Assert.Equal(replacement, PublishedKeys.KidOf(await server.Client.C1TokenAsync()));

        var revokedEntry = Assert.Single(await freshAdmin.AuditAsync($"subject={kid}&event_type=signing_key.revoked"));
        Assert.Equal(AdminClients.Admin, revokedEntry.GetProperty("actor_id").GetString());
        Assert.Equal("admin_client", revokedEntry.GetProperty("actor_type").GetString());
        var activated = Assert.Single(await freshAdmin.AuditAsync($"subject={replacement}&event_type=signing_key.activated"));
        Assert.Equal(AdminClients.Admin, activated.GetProperty("actor_id").GetString());
    }

    [Fact]
    public async Task Revoking_a_retired_key_unpublishes_it_and_leaves_the_signer_alone()
    {
        using var admin = await server.AdminAsync();
        var rotated = await (await admin.SendAsync(Api.Request(HttpMethod.Post, "/admin/signing-keys/rotate", new { algorithm = "RS256" })))
            .ExpectAsync(HttpStatusCode.Created);
        var signer = rotated.GetProperty("kid").GetString()!;
        var retired = await (await admin.GetAsync("/admin/signing-keys?state=retired")).ExpectAsync(HttpStatusCode.OK);
        var old = retired.GetProperty("items").EnumerateArray().First(k => k.GetProperty("alg").GetString() == "RS256");
        var oldKid = old.GetProperty("kid").GetString()!;
        using var read = await admin.GetAsync("/admin/signing-keys/" + oldKid);
        await read.ExpectAsync(HttpStatusCode.OK);

        var revoked = await (await admin.SendAsync(Api.Request(HttpMethod.Post, $"/admin/signing-keys/{oldKid}/revoke", ifMatch: read.Headers.ETag!.ToString())))
            .ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("revoked", revoked.GetProperty("state").GetString());
        var jwks = await server.Client.GetJwksAsync();
        Assert.DoesNotContain(oldKid, PublishedKeys.Kids(jwks, "RS256"));
        Assert.Contains(signer, PublishedKeys.Kids(jwks, "RS256"));
        var stillActive = await (await admin.GetAsync("/admin/signing-keys/" + signer)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", stillActive.GetProperty("state").GetString());
        Assert.Empty(await admin.AuditAsync($"subject={signer}&event_type=signing_key.retired"));
    }
}
