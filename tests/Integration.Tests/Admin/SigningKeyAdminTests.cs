using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using Api = AuthService.Integration.Tests.Infrastructure.Admin;

namespace AuthService.Integration.Tests.Admin;

/// <summary>Reading the signing keys and the refusals of the key operations; nothing here changes the key ring.</summary>
public sealed class SigningKeyAdminTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task The_list_shows_the_seeded_active_ES256_RS256_and_EdDSA_keys_with_their_dates_and_public_JWKs()
    {
        using var admin = await server.AdminAsync();

        var body = await (await admin.GetAsync("/admin/signing-keys")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, body.GetProperty("next_cursor").ValueKind);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        var jwks = await server.Client.GetJwksAsync();
        foreach (var algorithm in new[] { "ES256", "RS256", "EdDSA" })
        {
            var key = Assert.Single(items, k => k.GetProperty("alg").GetString() == algorithm && k.GetProperty("state").GetString() == "active");
            var kid = key.GetProperty("kid").GetString()!;
            Assert.Contains(kid, PublishedKeys.Kids(jwks, algorithm));
            Assert.EndsWith("Z", key.GetProperty("created_at").GetString(), StringComparison.Ordinal);
            Assert.NotEqual(JsonValueKind.Null, key.GetProperty("activated_at").ValueKind);
            foreach (var unset in new[] { "retired_at", "removable_at", "removed_at", "revoked_at" })
            {
                Assert.Equal(JsonValueKind.Null, key.GetProperty(unset).ValueKind);
            }

            var jwk = key.GetProperty("jwk");
            Assert.Equal(kid, jwk.GetProperty("kid").GetString());
            Assert.Equal(algorithm switch { "ES256" => "EC", "RS256" => "RSA", _ => "OKP" }, jwk.GetProperty("kty").GetString());
            AssertNoPrivateMaterial(key);
        }
    }

    [Fact]
    public async Task The_list_filters_by_state()
    {
        using var admin = await server.AdminAsync();

        var active = await (await admin.GetAsync("/admin/signing-keys?state=active")).ExpectAsync(HttpStatusCode.OK);
        var revoked = await (await admin.GetAsync("/admin/signing-keys?state=revoked")).ExpectAsync(HttpStatusCode.OK);

        Assert.All(active.GetProperty("items").EnumerateArray(), k => Assert.Equal("active", k.GetProperty("state").GetString()));
        Assert.Equal(3, active.GetProperty("items").GetArrayLength());
        Assert.Equal(0, revoked.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("Active")]
    public async Task An_unknown_state_filter_is_400_naming_state(string state)
    {
        using var admin = await server.AdminAsync();

        await (await admin.GetAsync("/admin/signing-keys?state=" + state)).ProblemAsync(HttpStatusCode.BadRequest, "state");
    }

    [Fact]
    public async Task One_key_is_read_by_kid_with_its_ETag()
    {
        using var admin = await server.AdminAsync();
        var kid = PublishedKeys.KidOf(await server.AdminTokenAsync());

        using var response = await admin.GetAsync("/admin/signing-keys/" + kid);
        var key = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(kid, key.GetProperty("kid").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.Equal("active", key.GetProperty("state").GetString());
        Assert.Matches("^\"[0-9]+\"$", response.Headers.ETag!.ToString());
        AssertNoPrivateMaterial(key);
    }

    [Fact]
    public async Task An_unknown_kid_is_404_for_read_and_revoke()
    {
        using var admin = await server.AdminAsync();

        await (await admin.GetAsync("/admin/signing-keys/no-such-kid")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync("/admin/signing-keys/no-such-kid/revoke", null)).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"algorithm":"HS256"}""")]
    [InlineData("""{"algorithm":"none"}""")]
    [InlineData("""{"algorithm":"es256"}""")]
    [InlineData("""{"algorithm":""}""")]
    [InlineData("""{}""")]
    public async Task Rotating_with_a_bad_algorithm_is_400_naming_algorithm_and_changes_nothing(string body)
    {
        using var admin = await server.AdminAsync();
        var before = await server.Database.StoredKeysAsync();

        await (await admin.SendAsync(Api.Request(HttpMethod.Post, "/admin/signing-keys/rotate", body))).ProblemAsync(HttpStatusCode.BadRequest, "algorithm");

        Assert.Equal(before, await server.Database.StoredKeysAsync());
    }

    [Fact]
    public async Task Rotating_without_a_body_is_400_naming_algorithm()
    {
        using var admin = await server.AdminAsync();

        await (await admin.PostAsync("/admin/signing-keys/rotate", null)).ProblemAsync(HttpStatusCode.BadRequest, "algorithm");
    }

    [Fact]
    public async Task Rotating_with_an_unknown_member_is_400_and_changes_nothing()
    {
        using var admin = await server.AdminAsync();
        var before = await server.Database.StoredKeysAsync();

        await (await admin.SendAsync(Api.Request(HttpMethod.Post, "/admin/signing-keys/rotate", """{"algorithm":"ES256","state":"active"}""")))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before, await server.Database.StoredKeysAsync());
    }

    [Fact]
    public async Task Revoking_with_a_stale_If_Match_is_412_and_the_key_stays_active()
    {
        using var admin = await server.AdminAsync();
        var kid = PublishedKeys.KidOf(await server.AdminTokenAsync());

        await (await admin.SendAsync(Api.Request(HttpMethod.Post, $"/admin/signing-keys/{kid}/revoke", ifMatch: "\"999\"")))
            .ProblemAsync(HttpStatusCode.PreconditionFailed);

        var key = await (await admin.GetAsync("/admin/signing-keys/" + kid)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("active", key.GetProperty("state").GetString());
        Assert.Contains(kid, PublishedKeys.Kids(await server.Client.GetJwksAsync(), "ES256"));
    }

    [Fact]
    public async Task A_client_without_the_admin_scope_cannot_list_the_keys()
    {
        using var http = server.Factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", await server.AdminTokenAsync(AdminClients.NotAdmin, AdminClients.NotAdminSecret, "api.read"));

        using var response = await http.GetAsync("/admin/signing-keys");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static void AssertNoPrivateMaterial(JsonElement key)
    {
        var text = key.GetRawText();
        foreach (var member in new[] { "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"", "protected_private_key", "key_encryption_key" })
        {
            Assert.DoesNotContain(member, text, StringComparison.Ordinal);
        }
    }
}
