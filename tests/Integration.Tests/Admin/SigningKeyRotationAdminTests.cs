using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using Api = AuthService.Integration.Tests.Infrastructure.Admin;

namespace AuthService.Integration.Tests.Admin;

/// <summary>
/// Rotation now through the admin API. It changes the server's signing keys, so it has a server of its own
/// (its own fixture instance) and the tests do not assume which key was active before they ran.
/// </summary>
public sealed class SigningKeyRotationAdminTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    public async Task Rotate_now_makes_a_new_key_sign_at_once_and_retires_the_old_one_which_stays_published(string algorithm)
    {
        using var admin = await server.AdminAsync();
        var old = await ActiveKidAsync(admin, algorithm);
        var oldToken = await server.AdminTokenAsync();

        using var response = await admin.SendAsync(Api.Request(HttpMethod.Post, "/admin/signing-keys/rotate", new { algorithm }));
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        var kid = created.GetProperty("kid").GetString()!;
        Assert.NotEqual(old, kid);
        Assert.Equal(algorithm, created.GetProperty("alg").GetString());
        Assert.Equal("active", created.GetProperty("state").GetString());
        Assert.Equal($"/admin/signing-keys/{kid}", response.Headers.Location!.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(kid, await ActiveKidAsync(admin, algorithm));

        var retired = await (await admin.GetAsync("/admin/signing-keys/" + old)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("retired", retired.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, retired.GetProperty("retired_at").ValueKind);
        var removableAt = retired.GetProperty("removable_at").GetDateTimeOffset();
        Assert.True(removableAt > DateTimeOffset.UtcNow.AddHours(1), $"A retired key stays published past the longest token lifetime, not until {removableAt:O}.");

        // Both published: tokens of the old key still verify, the new key is there for the new tokens.
        var jwks = await server.Client.GetJwksAsync();
        Assert.Contains(old, PublishedKeys.Kids(jwks, algorithm));
        Assert.Contains(kid, PublishedKeys.Kids(jwks, algorithm));
        await server.Database.AssertOneSignerPerAlgorithmAsync("after a rotation now");

        if (algorithm == "ES256")
        {
            // Access tokens are ES256: a new client-credentials token carries the new kid and verifies; the old one still works.
            var fresh = await server.Client.C1TokenAsync();
            Assert.Equal(kid, PublishedKeys.KidOf(fresh));
            await BackChannel.ActiveAsync(await server.Client.IntrospectAsync(fresh, BackChannel.C1Basic));
            Assert.Equal(old, PublishedKeys.KidOf(oldToken));
            using var withOldToken = server.Factory.CreateClient();
            withOldToken.DefaultRequestHeaders.Authorization = new("Bearer", oldToken);
            await (await withOldToken.GetAsync("/admin/signing-keys")).ExpectAsync(HttpStatusCode.OK);
        }

        var retiredEntry = Assert.Single(await admin.AuditAsync($"subject={old}&event_type=signing_key.retired"));
        Assert.Equal(AdminClients.Admin, retiredEntry.GetProperty("actor_id").GetString());
        Assert.Equal("admin_client", retiredEntry.GetProperty("actor_type").GetString());
        var activated = Assert.Single(await admin.AuditAsync($"subject={kid}&event_type=signing_key.activated"));
        Assert.Equal(AdminClients.Admin, activated.GetProperty("actor_id").GetString());
        Assert.Single(await admin.AuditAsync($"subject={kid}&event_type=signing_key.generated"));
    }

    [Fact]
    public async Task Concurrent_rotations_of_one_algorithm_leave_exactly_one_signer_and_the_losers_get_409()
    {
        var admins = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => server.AdminAsync()));

        var responses = await Task.WhenAll(admins.Select(a => a.SendAsync(Api.Request(HttpMethod.Post, "/admin/signing-keys/rotate", new { algorithm = "RS256" }))));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.True(statuses.All(s => s is 201 or 409), $"Every rotation is 201 or 409, got {string.Join(", ", statuses)}");
        Assert.Contains(201, statuses);
        await server.Database.AssertOneSignerPerAlgorithmAsync("after concurrent rotations now");
        foreach (var admin in admins)
        {
            admin.Dispose();
        }
    }

    private static async Task<string> ActiveKidAsync(HttpClient admin, string algorithm)
    {
        var body = await (await admin.GetAsync("/admin/signing-keys?state=active")).ExpectAsync(HttpStatusCode.OK);
        return Assert.Single(body.GetProperty("items").EnumerateArray(), k => k.GetProperty("alg").GetString() == algorithm).GetProperty("kid").GetString()!;
    }
}
