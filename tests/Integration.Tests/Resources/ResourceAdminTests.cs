using System.Net;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.Infrastructure.Admin;

namespace AuthService.Integration.Tests.Resources;

/// <summary><c>/admin/resources</c>: the lifecycle, its effect on the token endpoint, conditional writes, validation and the audit log.</summary>
public sealed class ResourceAdminTests(AdminFixture fixture) : IClassFixture<AdminFixture>
{
    private static string PathOf(string resource) => "/admin/resources/" + Uri.EscapeDataString(resource);

    private static string? ETagOf(HttpResponseMessage response) => response.Headers.ETag?.ToString();

    private async Task<HttpResponseMessage> TokenAsync(string resource) =>
        await fixture.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials"), ("resource", resource)), BackChannel.C1Basic);

    [Fact]
    public async Task A_registered_resource_can_be_read_updated_disabled_enabled_and_deleted_and_the_token_endpoint_follows()
    {
        const string Resource = "https://lifecycle.test/api";
        using var admin = await fixture.AdminAsync();

        using var created = await admin.PostAsync("/admin/resources", Json(new JsonObject
        {
            ["resource"] = Resource, ["name"] = "Lifecycle API", ["scopes"] = new JsonArray("api.read"), ["access_token_lifetime"] = 120,
        }.ToJsonString()));
        var body = await created.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(PathOf(Resource), created.Headers.Location!.OriginalString);
        Assert.Equal(Resource, body.GetProperty("resource").GetString());
        Assert.Equal(120, body.GetProperty("access_token_lifetime").GetInt32());
        Assert.Null(body.GetProperty("access_token_signing_alg").GetString());
        Assert.True(body.GetProperty("enabled").GetBoolean());
        using (var token = await TokenAsync(Resource))
        {
            Assert.Equal(120, (await OAuthAssert.TokenSuccessAsync(token)).GetProperty("expires_in").GetInt32());
        }

        using var read = await admin.GetAsync(PathOf(Resource));
        Assert.Equal("Lifecycle API", (await read.ExpectAsync(HttpStatusCode.OK)).GetProperty("name").GetString());
        var listed = await (await admin.GetAsync("/admin/resources")).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), r => r.GetProperty("resource").GetString() == Resource);

        var update = new JsonObject { ["resource"] = Resource, ["name"] = "Renamed", ["scopes"] = new JsonArray("api.read", "api.write") }.ToJsonString();
        using (var stale = await admin.SendAsync(Request(HttpMethod.Put, PathOf(Resource), update, "\"99\"")))
        {
            await stale.ProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        using var updated = await admin.SendAsync(Request(HttpMethod.Put, PathOf(Resource), update, ETagOf(read)));
        var updatedBody = await updated.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", updatedBody.GetProperty("name").GetString());
        Assert.Equal(JsonValueKindNull, updatedBody.GetProperty("access_token_lifetime").ValueKind);

        using var disabled = await admin.PostAsync(PathOf(Resource) + "/disable", null);
        Assert.False((await disabled.ExpectAsync(HttpStatusCode.OK)).GetProperty("enabled").GetBoolean());
        using (var refused = await TokenAsync(Resource))
        {
            await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_target");
        }

        using (var again = await admin.PostAsync(PathOf(Resource) + "/disable", null))
        {
            await again.ProblemAsync(HttpStatusCode.BadRequest, "enabled");
        }

        using var enabled = await admin.PostAsync(PathOf(Resource) + "/enable", null);
        await enabled.ExpectAsync(HttpStatusCode.OK);
        using (var token = await TokenAsync(Resource))
        {
            await OAuthAssert.TokenSuccessAsync(token);
        }

        using var deleted = await admin.DeleteAsync(PathOf(Resource));
        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        using (var gone = await admin.GetAsync(PathOf(Resource)))
        {
            await gone.ProblemAsync(HttpStatusCode.NotFound);
        }

        using (var refused = await TokenAsync(Resource))
        {
            await OAuthAssert.TokenErrorAsync(refused, HttpStatusCode.BadRequest, "invalid_target");
        }

        foreach (var type in (string[])["resource.created", "resource.updated", "resource.disabled", "resource.enabled", "resource.deleted"])
        {
            await admin.AssertAuditedAsync("resource", Resource, type);
        }
    }

    [Fact]
    public async Task A_change_of_a_resources_introspection_clients_applies_to_the_next_introspection()
    {
        // The resource catalog keeps resources in memory: a change through the admin API drops the entry on this replica.
        const string Resource = "https://introspected.test/api";
        using var admin = await fixture.AdminAsync();
        using var created = await admin.PostAsync("/admin/resources", Json(new JsonObject
        {
            ["resource"] = Resource, ["scopes"] = new JsonArray("api.read"), ["introspection_clients"] = new JsonArray(TestClients.C2),
        }.ToJsonString()));
        await created.ExpectAsync(HttpStatusCode.Created);
        using var issued = await TokenAsync(Resource);
        var token = (await OAuthAssert.TokenSuccessAsync(issued)).GetProperty("access_token").GetString()!;
        using (var byC2 = await BackChannel.IntrospectAsync(fixture.Client, token, BackChannel.C2Basic))
        {
            Assert.Equal(Resource, Assert.Single((await BackChannel.ActiveAsync(byC2)).GetProperty("aud").EnumerateArray()).GetString());
        }

        using var read = await admin.GetAsync(PathOf(Resource));
        await read.ExpectAsync(HttpStatusCode.OK);
        using var updated = await admin.SendAsync(Request(HttpMethod.Put, PathOf(Resource),
            new JsonObject { ["resource"] = Resource, ["scopes"] = new JsonArray("api.read") }.ToJsonString(), ETagOf(read)));
        await updated.ExpectAsync(HttpStatusCode.OK);

        using var afterUpdate = await BackChannel.IntrospectAsync(fixture.Client, token, BackChannel.C2Basic);
        await BackChannel.InactiveAsync(afterUpdate, "the resource no longer names C2 as an introspection client");
        using var deleted = await admin.DeleteAsync(PathOf(Resource));
        await deleted.ExpectAsync(HttpStatusCode.NoContent);
        using var afterDelete = await BackChannel.IntrospectAsync(fixture.Client, token, BackChannel.C2Basic);
        await BackChannel.InactiveAsync(afterDelete, "an audience that is no longer registered is a client's id, and C2 is not it");
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task An_identifier_with_its_own_percent_encoding_is_addressed_exactly()
    {
        const string Resource = "https://encoded.test/a%20b";
        using var admin = await fixture.AdminAsync();
        using var created = await admin.PostAsync("/admin/resources",
            Json(new JsonObject { ["resource"] = Resource, ["scopes"] = new JsonArray("api.read") }.ToJsonString()));
        await created.ExpectAsync(HttpStatusCode.Created);

        using var read = await admin.GetAsync(PathOf(Resource));
        Assert.Equal(Resource, (await read.ExpectAsync(HttpStatusCode.OK)).GetProperty("resource").GetString());
        using var decoded = await admin.GetAsync(PathOf("https://encoded.test/a b"));
        await decoded.ProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"resource":"https://bad.test/api#x","scopes":["api.read"]}""", "resource" },
        { """{"resource":"http://bad.test/api","scopes":["api.read"]}""", "resource" },
        { """{"resource":"/api","scopes":["api.read"]}""", "resource" },
        { """{"scopes":["api.read"]}""", "resource" },
        { """{"resource":"https://bad.test/api"}""", "scopes" },
        { """{"resource":"https://bad.test/api","scopes":[]}""", "scopes" },
        { """{"resource":"https://bad.test/api","scopes":["a b"]}""", "scopes" },
        { """{"resource":"https://bad.test/api","scopes":["api.read"],"access_token_lifetime":5}""", "access_token_lifetime" },
        { """{"resource":"https://bad.test/api","scopes":["api.read"],"access_token_signing_alg":"HS256"}""", "access_token_signing_alg" },
        { """{"resource":"https://bad.test/api","scopes":["api.read"],"introspection_clients":[""]}""", "introspection_clients" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_registrations_are_400_naming_the_member_and_write_nothing(string body, string field)
    {
        using var admin = await fixture.AdminAsync();

        using var response = await admin.PostAsync("/admin/resources", Json(body));

        await response.ProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM protected_resources WHERE resource LIKE 'https://bad.test%'"));
    }

    [Fact]
    public async Task A_second_registration_of_an_identifier_is_409()
    {
        using var admin = await fixture.AdminAsync();
        var body = new JsonObject { ["resource"] = "https://twice.test/api", ["scopes"] = new JsonArray("api.read") }.ToJsonString();
        using var first = await admin.PostAsync("/admin/resources", Json(body));
        await first.ExpectAsync(HttpStatusCode.Created);

        using var second = await admin.PostAsync("/admin/resources", Json(body));

        await second.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_path_and_body_must_name_the_same_resource()
    {
        using var admin = await fixture.AdminAsync();
        using var created = await admin.PostAsync("/admin/resources",
            Json(new JsonObject { ["resource"] = "https://rename.test/api", ["scopes"] = new JsonArray("api.read") }.ToJsonString()));
        await created.ExpectAsync(HttpStatusCode.Created);

        using var response = await admin.SendAsync(Request(HttpMethod.Put, PathOf("https://rename.test/api"),
            new JsonObject { ["resource"] = "https://other.test/api", ["scopes"] = new JsonArray("api.read") }.ToJsonString()));

        await response.ProblemAsync(HttpStatusCode.BadRequest, "resource");
    }
}
