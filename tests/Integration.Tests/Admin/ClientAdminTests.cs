using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Admin;

/// <summary>Requests of the client admin tests: a fresh client per test, token requests with its secret.</summary>
internal static class ClientAdmin
{
    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A confidential service client (client_credentials, api.read) named <paramref name="clientId"/>.</summary>
    public static JsonObject Service(string clientId) => new()
    {
        ["client_id"] = clientId,
        ["client_name"] = "Service " + clientId,
        ["token_endpoint_auth_method"] = "client_secret_basic",
        ["grant_types"] = new JsonArray("client_credentials"),
        ["scope"] = "api.read",
        ["access_token_lifetime"] = 600,
    };

    /// <summary>A public browser client (none, code + refresh) named <paramref name="clientId"/>.</summary>
    public static JsonObject Browser(string clientId) => new()
    {
        ["client_id"] = clientId,
        ["client_name"] = "Browser " + clientId,
        ["token_endpoint_auth_method"] = "none",
        ["redirect_uris"] = new JsonArray("https://spa.example/cb"),
        ["post_logout_redirect_uris"] = new JsonArray("https://spa.example/bye"),
        ["grant_types"] = new JsonArray("authorization_code", "refresh_token"),
        ["scope"] = "openid api.read",
    };

    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient admin, JsonObject body) =>
        admin.PostAsync("/admin/clients", Infrastructure.Admin.Json(body.ToJsonString()));

    /// <summary>Registers a confidential service client and returns its generated secret.</summary>
    public static async Task<string> RegisterServiceAsync(this HttpClient admin, string clientId) =>
        (await (await admin.RegisterAsync(Service(clientId))).ExpectAsync(HttpStatusCode.Created)).GetProperty("client_secret").GetString()!;

    public static async Task<JsonElement> GetClientAsync(this HttpClient admin, string clientId) =>
        await (await admin.GetAsync($"/admin/clients/{Uri.EscapeDataString(clientId)}")).ExpectAsync(HttpStatusCode.OK);

    /// <summary>A client_credentials request of the client, authenticated with Basic.</summary>
    public static Task<HttpResponseMessage> TokenAsync(AuthServerFixture server, string clientId, string secret) =>
        server.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials"), ("scope", "api.read")), Protocol.Basic(clientId, secret));

    public static async Task AssertTokenIssuedAsync(AuthServerFixture server, string clientId, string secret) =>
        await OAuthAssert.TokenSuccessAsync(await TokenAsync(server, clientId, secret));

    public static async Task AssertInvalidClientAsync(AuthServerFixture server, string clientId, string secret) =>
        await OAuthAssert.TokenErrorAsync(await TokenAsync(server, clientId, secret), HttpStatusCode.Unauthorized, "invalid_client");

    public static string ETagOf(HttpResponseMessage response) => response.Headers.ETag!.Tag;
}

/// <summary>
/// <c>/admin/clients</c>: registration (generated secret shown once, generated ids, duplicates and their race),
/// validation, reads, lists and updates with If-Match, against a real server and PostgreSQL.
/// </summary>
public sealed class ClientAdminTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    [Fact]
    public async Task Registering_a_confidential_client_returns_its_secret_once_and_the_secret_works_at_the_token_endpoint()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("svc");

        var response = await admin.RegisterAsync(ClientAdmin.Service(clientId));
        var created = await response.ExpectAsync(HttpStatusCode.Created);

        Assert.Equal($"/admin/clients/{clientId}", response.Headers.Location!.OriginalString);
        Assert.Equal("\"0\"", ClientAdmin.ETagOf(response));
        var secret = created.GetProperty("client_secret").GetString()!;
        Assert.True(secret.Length >= 43, "A generated secret carries 256 bits.");
        Assert.Equal(0, created.GetProperty("client_secret_expires_at").GetInt64());
        Assert.Equal("confidential", created.GetProperty("type").GetString());
        Assert.Equal("api.read", created.GetProperty("scope").GetString());
        Assert.Equal(600, created.GetProperty("access_token_lifetime").GetInt32());
        Assert.True(created.GetProperty("enabled").GetBoolean());
        var secretInfo = Assert.Single(created.GetProperty("secrets").EnumerateArray());
        Assert.True(secretInfo.GetProperty("active").GetBoolean());
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, secret);

        var read = await admin.GetAsync($"/admin/clients/{clientId}");
        var text = await read.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"0\"", ClientAdmin.ETagOf(read));
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"client_secret\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        var secrets = await (await admin.GetAsync($"/admin/clients/{clientId}/secrets")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(secret, secrets.ToString(), StringComparison.Ordinal);
        Assert.Equal(secretInfo.GetProperty("id").GetString(), Assert.Single(secrets.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        await admin.AssertAuditedAsync("client", clientId, "client.created");
    }

    [Fact]
    public async Task Registering_a_public_client_issues_no_secret()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("spa");

        var created = await (await admin.RegisterAsync(ClientAdmin.Browser(clientId))).ExpectAsync(HttpStatusCode.Created);

        Assert.False(created.TryGetProperty("client_secret", out var secret) && secret.ValueKind != JsonValueKind.Null);
        Assert.Equal("public", created.GetProperty("type").GetString());
        Assert.Equal("none", created.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Empty(created.GetProperty("secrets").EnumerateArray());
        Assert.Equal(["https://spa.example/cb"], created.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("openid api.read", (await admin.GetClientAsync(clientId)).GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Registering_without_a_client_id_generates_a_random_url_safe_one()
    {
        var admin = await server.AdminAsync();
        var body = ClientAdmin.Service("unused");
        body.Remove("client_id");
        body.Remove("client_name");

        var first = await (await admin.RegisterAsync(body)).ExpectAsync(HttpStatusCode.Created);
        var second = await (await admin.RegisterAsync((JsonObject)body.DeepClone())).ExpectAsync(HttpStatusCode.Created);

        var clientId = first.GetProperty("client_id").GetString()!;
        Assert.True(clientId.Length >= 22, $"A generated client_id carries at least 128 bits: {clientId}");
        Assert.Matches("^[A-Za-z0-9_-]+$", clientId);
        Assert.NotEqual(clientId, second.GetProperty("client_id").GetString());
        Assert.Equal(clientId, (await admin.GetClientAsync(clientId)).GetProperty("client_id").GetString());
        Assert.Equal(clientId, first.GetProperty("client_name").GetString());
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, first.GetProperty("client_secret").GetString()!);
    }

    [Fact]
    public async Task Registering_an_existing_client_id_is_a_conflict_and_changes_nothing()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("dup");
        var secret = await admin.RegisterServiceAsync(clientId);

        var again = ClientAdmin.Service(clientId);
        again["client_name"] = "Impostor";
        await (await admin.RegisterAsync(again)).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("Service " + clientId, (await admin.GetClientAsync(clientId)).GetProperty("client_name").GetString());
        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, secret);

        // A seeded client too (ASVS 2.3.3's id space is one).
        await (await admin.RegisterAsync(ClientAdmin.Service(AdminClients.Admin))).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Parallel_registrations_of_one_client_id_give_one_201_and_one_409_and_a_whole_client()
    {
        // ASVS 2.3.3: two racing registrations; the loser must not leave half a client or a second secret.
        var admin = await server.AdminAsync();
        for (var round = 0; round < 3; round++)
        {
            var clientId = ClientAdmin.NewId("race");
            using var start = new SemaphoreSlim(0);
            var attempts = Enumerable.Range(0, 2).Select(async _ =>
            {
                await start.WaitAsync();
                return await admin.RegisterAsync(ClientAdmin.Service(clientId));
            }).ToList();
            start.Release(2);
            var responses = await Task.WhenAll(attempts);

            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            var winner = responses.Single(r => r.StatusCode == HttpStatusCode.Created);
            var secret = (await winner.ExpectAsync(HttpStatusCode.Created)).GetProperty("client_secret").GetString()!;
            await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ProblemAsync(HttpStatusCode.Conflict);
            var stored = await admin.GetClientAsync(clientId);
            Assert.Single(stored.GetProperty("secrets").EnumerateArray());
            await ClientAdmin.AssertTokenIssuedAsync(server, clientId, secret);
            Assert.Single(await admin.AuditAsync($"subject={clientId}&event_type=client.created"));
        }
    }

    public static TheoryData<string, string, JsonNode?, string> InvalidRegistrations => new()
    {
        // RFC 9700 §2.6: http only for loopback.
        { "http-redirect", "redirect_uris", new JsonArray("http://c1.example/cb"), "redirect_uris" },

        // CVE-2026-9086: a script scheme, in any letter case.
        { "script-redirect", "redirect_uris", new JsonArray("JaVaScRiPt:alert(1)"), "redirect_uris" },
        { "null-redirect", "redirect_uris", new JsonArray((JsonNode?)null), "redirect_uris" },
        { "fragment-logout", "post_logout_redirect_uris", new JsonArray("https://c1.example/bye#x"), "post_logout_redirect_uris" },
        { "implicit", "grant_types", new JsonArray("implicit"), "grant_types" },
        { "auth-method", "token_endpoint_auth_method", "client_assertion", "token_endpoint_auth_method" },
        { "lifetime", "access_token_lifetime", 86400, "access_token_lifetime" },
        { "alg", "id_token_signed_response_alg", "HS256", "id_token_signed_response_alg" },
        { "scope", "scope", "api.read \"quoted\"", "scope" },
        { "name", "client_name", new string('n', 201), "client_name" },
        { "client-id", "client_id", "bad\u0001id", "client_id" },
        { "cert-bound", "tls_client_certificate_bound_access_tokens", "yes", "tls_client_certificate_bound_access_tokens" },
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task A_registration_breaking_a_rule_is_a_400_naming_the_field_and_writes_nothing(string label, string member, JsonNode? value, string field)
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId(label);
        var body = ClientAdmin.Browser(clientId);
        if (member == "access_token_lifetime" || member == "token_endpoint_auth_method")
        {
            body = ClientAdmin.Service(clientId);
        }

        body[member] = value?.DeepClone();

        await (await admin.RegisterAsync(body)).ProblemAsync(HttpStatusCode.BadRequest, field);

        var id = body["client_id"]!.GetValue<string>();
        if (!id.Any(char.IsControl))
        {
            await (await admin.GetAsync($"/admin/clients/{Uri.EscapeDataString(id)}")).ProblemAsync(HttpStatusCode.NotFound);
        }
    }

    // RFC 8705 §3.4: the member is registered, shown, and then every token request without a certificate is refused
    // (this in-process server has no mutual-TLS listener, so no request of it carries one).
    [Fact]
    public async Task A_client_registered_with_tls_client_certificate_bound_access_tokens_gets_no_token_without_a_certificate()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("certbound");
        var body = ClientAdmin.Service(clientId);
        body["tls_client_certificate_bound_access_tokens"] = true;

        var secret = (await (await admin.RegisterAsync(body)).ExpectAsync(HttpStatusCode.Created)).GetProperty("client_secret").GetString()!;

        Assert.True((await admin.GetClientAsync(clientId)).GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
        await OAuthAssert.TokenErrorAsync(await ClientAdmin.TokenAsync(server, clientId, secret), HttpStatusCode.BadRequest, "invalid_request");

        // RFC 8705 §3.4: the default is false; a client registered without it keeps getting bearer tokens.
        var plainId = ClientAdmin.NewId("bearer");
        var plainSecret = await admin.RegisterServiceAsync(plainId);
        Assert.False((await admin.GetClientAsync(plainId)).GetProperty("tls_client_certificate_bound_access_tokens").GetBoolean());
        await ClientAdmin.AssertTokenIssuedAsync(server, plainId, plainSecret);
    }

    [Fact]
    public async Task A_public_client_with_client_credentials_is_refused_naming_grant_types()
    {
        var admin = await server.AdminAsync();
        var body = ClientAdmin.Browser(ClientAdmin.NewId("pubcc"));
        body["grant_types"] = new JsonArray("client_credentials");

        await (await admin.RegisterAsync(body)).ProblemAsync(HttpStatusCode.BadRequest, "grant_types");
    }

    [Theory]
    [InlineData("id", "\"abc\"")]
    [InlineData("client_secret", "\"chosen-by-the-caller-0123456789\"")]
    [InlineData("client_secret_expires_at", "0")]
    [InlineData("enabled", "false")]
    [InlineData("secrets", "[]")]
    public async Task An_unknown_member_is_refused_as_mass_assignment(string member, string json)
    {
        // ASVS 15.3.3: only the documented members bind.
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("mass");
        var body = ClientAdmin.Service(clientId).ToJsonString().TrimEnd('}') + $",\"{member}\":{json}}}";

        var problem = await (await admin.PostAsync("/admin/clients", Infrastructure.Admin.Json(body))).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name == member);
        Assert.DoesNotContain("AuthService.", problem.GetRawText(), StringComparison.Ordinal); // no .NET type names in answers
        await (await admin.GetAsync($"/admin/clients/{clientId}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_list_walks_every_page_with_the_cursor_and_filters()
    {
        var admin = await server.AdminAsync();
        var prefix = ClientAdmin.NewId("page");
        var ids = new[] { prefix + "-a", prefix + "-b", prefix + "-c" };
        foreach (var id in ids)
        {
            await admin.RegisterServiceAsync(id);
        }

        await (await admin.RegisterAsync(ClientAdmin.Browser(prefix + "-d"))).ExpectAsync(HttpStatusCode.Created);
        await (await admin.PostAsync($"/admin/clients/{prefix}-b/disable", null)).ExpectAsync(HttpStatusCode.OK);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync($"/admin/clients?client_id={prefix}&limit=1" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))
                .ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("client_id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null && seen.Count < 10);

        Assert.Equal([.. ids, prefix + "-d"], seen);

        Assert.Equal([prefix + "-b"], await IdsAsync(admin, $"client_id={prefix}&enabled=false"));
        Assert.Equal([prefix + "-a", prefix + "-c", prefix + "-d"], await IdsAsync(admin, $"client_id={prefix}&enabled=true"));
        Assert.Equal([prefix + "-d"], await IdsAsync(admin, $"client_id={prefix}&grant_type=authorization_code"));
        Assert.Equal(ids, await IdsAsync(admin, $"client_id={prefix}&grant_type=client_credentials&limit=1", walk: true));
        Assert.Equal([prefix + "-c"], await IdsAsync(admin, $"search={Uri.EscapeDataString("SERVICE " + prefix.ToUpperInvariant() + "-C")}"));
    }

    [Fact]
    public async Task A_tampered_cursor_or_bad_list_parameter_is_a_400()
    {
        var admin = await server.AdminAsync();
        var prefix = ClientAdmin.NewId("tamper");
        await admin.RegisterServiceAsync(prefix + "-a");
        await admin.RegisterServiceAsync(prefix + "-b");
        var page = await (await admin.GetAsync($"/admin/clients?client_id={prefix}&limit=1")).ExpectAsync(HttpStatusCode.OK);
        var cursor = page.GetProperty("next_cursor").GetString()!;
        var tampered = (cursor[0] == 'A' ? "B" : "A") + cursor[1..];

        await (await admin.GetAsync($"/admin/clients?limit=1&cursor={Uri.EscapeDataString(tampered)}")).ProblemAsync(HttpStatusCode.BadRequest, "cursor");
        await (await admin.GetAsync("/admin/clients?limit=0")).ProblemAsync(HttpStatusCode.BadRequest, "limit");
        await (await admin.GetAsync("/admin/clients?grant_type=password")).ProblemAsync(HttpStatusCode.BadRequest, "grant_type");
    }

    [Fact]
    public async Task An_update_with_the_current_ETag_applies_and_a_stale_one_is_a_412()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("upd");
        var secret = await admin.RegisterServiceAsync(clientId);
        var read = await admin.GetAsync($"/admin/clients/{clientId}");
        var etag = ClientAdmin.ETagOf(read);
        var update = ClientAdmin.Service(clientId);
        update["client_name"] = "Renamed";
        update["scope"] = "api.read api.write";
        update["token_endpoint_auth_method"] = "client_secret_post";

        var updated = await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", update.ToJsonString(), etag));
        var body = await updated.ExpectAsync(HttpStatusCode.OK);

        Assert.NotEqual(etag, ClientAdmin.ETagOf(updated));
        Assert.Equal("Renamed", body.GetProperty("client_name").GetString());
        Assert.Equal("api.read api.write", body.GetProperty("scope").GetString());
        Assert.Single(body.GetProperty("secrets").EnumerateArray());
        Assert.Equal(ClientAdmin.ETagOf(updated), ClientAdmin.ETagOf(await admin.GetAsync($"/admin/clients/{clientId}")));

        // The secret survived and now authenticates in the body (client_secret_post).
        await OAuthAssert.TokenSuccessAsync(await server.Client.PostTokenAsync(Protocol.Form(
            ("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", secret), ("scope", "api.write"))));

        update["client_name"] = "Lost update";
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", update.ToJsonString(), etag)))
            .ProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("Renamed", (await admin.GetClientAsync(clientId)).GetProperty("client_name").GetString());
        await admin.AssertAuditedAsync("client", clientId, "client.updated");
    }

    [Fact]
    public async Task An_update_breaking_a_rule_is_a_400_naming_the_field_and_changes_nothing()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("updbad");
        await (await admin.RegisterAsync(ClientAdmin.Browser(clientId))).ExpectAsync(HttpStatusCode.Created);

        var badRedirect = ClientAdmin.Browser(clientId);
        badRedirect["redirect_uris"] = new JsonArray("http://c1.example/cb");
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", badRedirect.ToJsonString())))
            .ProblemAsync(HttpStatusCode.BadRequest, "redirect_uris");

        // A public client cannot become confidential here: it would have no secret.
        var confidential = ClientAdmin.Browser(clientId);
        confidential["token_endpoint_auth_method"] = "client_secret_basic";
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", confidential.ToJsonString())))
            .ProblemAsync(HttpStatusCode.BadRequest, "token_endpoint_auth_method");

        var renamed = ClientAdmin.Browser("another-id");
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", renamed.ToJsonString())))
            .ProblemAsync(HttpStatusCode.BadRequest, "client_id");

        var unknown = ClientAdmin.Browser(clientId);
        unknown["enabled"] = false;
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", unknown.ToJsonString())))
            .ProblemAsync(HttpStatusCode.BadRequest);

        var stored = await admin.GetClientAsync(clientId);
        Assert.Equal(["https://spa.example/cb"], stored.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("none", stored.GetProperty("token_endpoint_auth_method").GetString());
        Assert.True(stored.GetProperty("enabled").GetBoolean());
        Assert.Empty(await admin.AuditAsync($"subject={clientId}&event_type=client.updated"));
    }

    [Fact]
    public async Task A_confidential_client_cannot_be_turned_public_by_an_update()
    {
        var admin = await server.AdminAsync();
        var clientId = ClientAdmin.NewId("topub");
        var secret = await admin.RegisterServiceAsync(clientId);
        var update = ClientAdmin.Service(clientId);
        update["token_endpoint_auth_method"] = "none";
        update["grant_types"] = new JsonArray("authorization_code");
        update["redirect_uris"] = new JsonArray("https://spa.example/cb");

        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, $"/admin/clients/{clientId}", update.ToJsonString())))
            .ProblemAsync(HttpStatusCode.BadRequest, "token_endpoint_auth_method");

        await ClientAdmin.AssertTokenIssuedAsync(server, clientId, secret);
    }

    [Fact]
    public async Task Every_route_answers_404_for_an_unknown_client()
    {
        var admin = await server.AdminAsync();
        var missing = "/admin/clients/" + ClientAdmin.NewId("missing");
        var update = ClientAdmin.Service("x");
        update.Remove("client_id");

        await (await admin.GetAsync(missing)).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Put, missing, update.ToJsonString()))).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync(missing + "/disable", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync(missing + "/enable", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync(missing)).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync(missing + "/secrets")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync(missing + "/secrets", null)).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.DeleteAsync(missing + "/secrets/" + Guid.NewGuid())).ProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<List<string>> IdsAsync(HttpClient admin, string query, bool walk = false)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync("/admin/clients?" + query + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))))
                .ExpectAsync(HttpStatusCode.OK);
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("client_id").GetString()!));
            cursor = walk ? page.GetProperty("next_cursor").GetString() : null;
        }
        while (cursor is not null);

        return ids;
    }
}
