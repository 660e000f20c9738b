using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Registration;

/// <summary>
/// RFC 7591 §3 with <c>Auth:Registration:Policy=open</c>: what a registration answers, what it validates (the same rules
/// as the seed file and the admin API, as RFC 7591 §3.2.2 errors), the operator's policy, unknown members, and the
/// admin API's view of dynamic clients.
/// </summary>
public sealed class DynamicRegistrationTests(OpenRegistrationFixture fixture) : IClassFixture<OpenRegistrationFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task Both_discovery_documents_advertise_the_registration_endpoint()
    {
        foreach (var path in new[] { "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server" })
        {
            var metadata = await (await _client.GetAsync(path)).JsonAsync();
            Assert.Equal(TestClients.Issuer + "/connect/register", metadata.GetProperty("registration_endpoint").GetString());
        }
    }

    [Fact]
    public async Task The_MCP_SDK_registration_with_extra_members_succeeds_as_a_public_client_and_the_extras_are_neither_echoed_nor_stored()
    {
        var body = Registrations.McpClient();
        body["resource"] = "https://mcp.example/mcp";
        body["logo_uri"] = "https://mcp.example/logo.png";
        body["require_consent"] = false;
        body["audience"] = "https://elsewhere.example";
        body["access_token_lifetime"] = 30;
        body["client_id"] = "chosen-by-the-client";

        var registered = await _client.RegisteredAsync(body);

        var clientId = registered.GetProperty("client_id").GetString()!;
        Assert.NotEqual("chosen-by-the-client", clientId);
        Assert.True(registered.GetProperty("client_id_issued_at").GetInt64() > 1_700_000_000);
        Assert.Equal("none", registered.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal(["http://127.0.0.1:33418/callback"], registered.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(["authorization_code", "refresh_token"], registered.GetProperty("grant_types").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(["code"], registered.GetProperty("response_types").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal("mcp:tools", registered.GetProperty("scope").GetString());
        Assert.Equal(TestClients.Issuer + "/connect/register/" + clientId, registered.GetProperty("registration_client_uri").GetString());
        Assert.False(string.IsNullOrEmpty(Registrations.Token(registered)));
        Assert.False(registered.TryGetProperty("client_secret", out _));
        foreach (var unknown in new[] { "resource", "logo_uri", "require_consent", "audience", "access_token_lifetime" })
        {
            Assert.False(registered.TryGetProperty(unknown, out _), $"{unknown} must not be echoed");
        }

        // Stored: a dynamic client that always asks for consent, with the server's own defaults.
        using var admin = await fixture.AdminAsync();
        var stored = await (await admin.GetAsync($"/admin/clients/{clientId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("dynamic", stored.GetProperty("registration_source").GetString());
        Assert.True(stored.GetProperty("require_consent").GetBoolean());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("audience").ValueKind);
        Assert.Equal(3600, stored.GetProperty("access_token_lifetime").GetInt32());
        Assert.DoesNotContain("logo.png", stored.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("mcp.example", stored.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confidential_client_gets_a_secret_shown_once_that_does_not_expire()
    {
        var registered = await _client.RegisteredAsync(new JsonObject
        {
            ["client_name"] = "Partner web app",
            ["redirect_uris"] = new JsonArray("https://partner.example/cb"),
            ["token_endpoint_auth_method"] = "client_secret_post",
            ["scope"] = "openid email",
        });

        Assert.Equal("client_secret_post", registered.GetProperty("token_endpoint_auth_method").GetString());
        Assert.True(registered.GetProperty("client_secret").GetString()!.Length >= 43);
        Assert.Equal(0, registered.GetProperty("client_secret_expires_at").GetInt64());
        Assert.Equal(["authorization_code"], registered.GetProperty("grant_types").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task Without_token_endpoint_auth_method_the_client_is_confidential_with_client_secret_basic_and_without_scope_it_gets_the_allowed_scopes()
    {
        var registered = await _client.RegisteredAsync(new JsonObject { ["redirect_uris"] = new JsonArray("https://defaults.example/cb") });

        Assert.Equal("client_secret_basic", registered.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal(OpenRegistrationFixture.AllowedScopes, registered.GetProperty("scope").GetString());
        Assert.True(registered.TryGetProperty("client_secret", out _));

        var emptyScope = await _client.RegisteredAsync(new JsonObject { ["redirect_uris"] = new JsonArray("https://defaults.example/cb"), ["scope"] = " " });
        Assert.Equal(OpenRegistrationFixture.AllowedScopes, emptyScope.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_private_key_jwt_client_registers_with_its_public_keys()
    {
        var registered = await _client.RegisteredAsync(new JsonObject
        {
            ["redirect_uris"] = new JsonArray("https://keys.example/cb"),
            ["token_endpoint_auth_method"] = "private_key_jwt",
            ["jwks"] = JsonNode.Parse(PublicJwks()),
        });

        Assert.Equal("private_key_jwt", registered.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal("EC", registered.GetProperty("jwks").GetProperty("keys")[0].GetProperty("kty").GetString());
        Assert.False(registered.TryGetProperty("client_secret", out _));
    }

    [Theory]
    [InlineData("javascript:alert(document.domain)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("https://app.example/cb#fragment")]
    [InlineData("http://app.example/cb")]
    [InlineData("https://*.example/cb")]
    [InlineData("/relative/cb")]
    public async Task A_redirect_uri_the_admin_api_would_refuse_is_invalid_redirect_uri(string redirectUri)
    {
        var body = Registrations.McpClient();
        body["redirect_uris"] = new JsonArray(redirectUri);

        await Registrations.RegistrationErrorAsync(await _client.RegisterAsync(body), "invalid_redirect_uri");
    }

    [Fact]
    public async Task A_private_key_in_jwks_is_invalid_client_metadata_naming_jwks()
    {
        var body = new JsonObject
        {
            ["redirect_uris"] = new JsonArray("https://keys.example/cb"),
            ["token_endpoint_auth_method"] = "private_key_jwt",
            ["jwks"] = JsonNode.Parse(PrivateJwks()),
        };

        await Registrations.RegistrationErrorAsync(await _client.RegisterAsync(body), "invalid_client_metadata", "jwks");
    }

    [Theory]
    [InlineData("grant_types", "[\"authorization_code\",\"client_credentials\"]")]
    [InlineData("scope", "\"openid admin\"")]
    [InlineData("token_endpoint_auth_method", "\"client_secret_jwt\"")]
    [InlineData("token_endpoint_auth_method", "\"tls_client_auth\"")]
    [InlineData("response_types", "[\"token\"]")]
    [InlineData("redirect_uris", "\"https://not-a-list.example/cb\"")]
    [InlineData("client_name", "42")]
    [InlineData("id_token_signed_response_alg", "\"none\"")]
    [InlineData("jwks_uri", "\"http://127.0.0.1:5432/keys\"")]
    [InlineData("backchannel_logout_uri", "\"http://rp.example/logout\"")]
    [InlineData("backchannel_logout_uri", "\"https://rp.example/logout#f\"")]
    [InlineData("backchannel_logout_session_required", "true")]
    [InlineData("frontchannel_logout_uri", "\"http://rp.example/logout\"")]
    [InlineData("frontchannel_logout_uri", "\"https://rp.example/logout#f\"")]
    [InlineData("frontchannel_logout_uri", "\"http://127.0.0.1:33419/logout\"")]
    [InlineData("frontchannel_logout_session_required", "true")]
    [InlineData("default_acr_values", "[\"urn:example:gold\"]")]
    [InlineData("default_acr_values", "\"urn:authservice:acr:mfa\"")]
    [InlineData("default_acr_values", "[\"urn:authservice:acr:mfa\",\"urn:authservice:acr:mfa\"]")]
    public async Task What_the_policy_or_the_rules_do_not_allow_is_invalid_client_metadata_naming_the_member(string member, string json)
    {
        var body = Registrations.McpClient();
        body[member] = JsonNode.Parse(json);

        await Registrations.RegistrationErrorAsync(await _client.RegisterAsync(body), "invalid_client_metadata", member);
    }

    [Fact] // OIDC Dynamic Client Registration 1.0 §2 default_acr_values, echoed at registration and by the client configuration endpoint.
    public async Task Default_acr_values_of_this_server_are_registered_and_echoed_and_require_mfa_is_not_the_clients_to_set()
    {
        var body = Registrations.McpClient();
        body["default_acr_values"] = new JsonArray("urn:authservice:acr:mfa");
        body["require_mfa"] = false;

        var registered = await _client.RegisteredAsync(body);
        using var read = await _client.GetAsync(Registrations.ConfigurationPath(registered), Registrations.Token(registered));
        var configuration = await read.ExpectAsync(HttpStatusCode.OK);

        foreach (var document in new[] { registered, configuration })
        {
            Assert.Equal(["urn:authservice:acr:mfa"], document.GetProperty("default_acr_values").EnumerateArray().Select(v => v.GetString()));
            Assert.False(document.TryGetProperty("require_mfa", out _));
        }

        var plain = await _client.RegisteredAsync(Registrations.McpClient());
        Assert.False(plain.TryGetProperty("default_acr_values", out _));
    }

    [Fact]
    public async Task A_backchannel_logout_uri_is_registered_and_echoed()
    {
        var body = Registrations.McpClient();
        body["backchannel_logout_uri"] = "https://rp.example/backchannel-logout";
        body["backchannel_logout_session_required"] = true;

        var registered = await _client.RegisteredAsync(body);

        Assert.Equal("https://rp.example/backchannel-logout", registered.GetProperty("backchannel_logout_uri").GetString());
        Assert.True(registered.GetProperty("backchannel_logout_session_required").GetBoolean());
        Assert.False(registered.TryGetProperty("frontchannel_logout_uri", out _));
    }

    [Fact]
    public async Task A_frontchannel_logout_uri_is_registered_and_echoed()
    {
        var body = Registrations.McpClient();
        body["frontchannel_logout_uri"] = "http://127.0.0.1:33418/frontchannel-logout?x=1";
        body["frontchannel_logout_session_required"] = true;

        var registered = await _client.RegisteredAsync(body);

        Assert.Equal("http://127.0.0.1:33418/frontchannel-logout?x=1", registered.GetProperty("frontchannel_logout_uri").GetString());
        Assert.True(registered.GetProperty("frontchannel_logout_session_required").GetBoolean());
        Assert.False(registered.TryGetProperty("backchannel_logout_uri", out _));
    }

    [Fact]
    public async Task A_software_statement_is_refused_as_invalid_software_statement()
    {
        var body = Registrations.McpClient();
        body["software_statement"] = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";

        await Registrations.RegistrationErrorAsync(await _client.RegisterAsync(body), "invalid_software_statement");
    }

    [Theory]
    [InlineData("text/plain", "{\"redirect_uris\":[\"https://a.example/cb\"]}")]
    [InlineData("application/json", "{\"redirect_uris\":")]
    [InlineData("application/json", "[]")]
    [InlineData("application/json", "")]
    [InlineData("application/json", "{\"redirect_uris\":[\"https://a.example/cb\"],\"redirect_uris\":[\"https://evil.example/cb\"]}")]
    public async Task A_body_that_is_not_a_json_object_is_refused_with_400_and_writes_nothing(string contentType, string content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Registrations.Path) { Content = new StringContent(content, System.Text.Encoding.UTF8, contentType) };

        await Registrations.RegistrationErrorAsync(await _client.SendAsync(request), "invalid_client_metadata");
    }

    [Fact]
    public async Task The_same_registration_sent_twice_in_parallel_makes_two_distinct_clients()
    {
        var registrations = await Task.WhenAll(_client.RegisteredAsync(Registrations.McpClient(40500)), _client.RegisteredAsync(Registrations.McpClient(40500)));

        Assert.NotEqual(registrations[0].GetProperty("client_id").GetString(), registrations[1].GetProperty("client_id").GetString());
        Assert.NotEqual(Registrations.Token(registrations[0]), Registrations.Token(registrations[1]));
    }

    [Fact]
    public async Task The_admin_api_lists_dynamic_clients_by_source_and_its_disable_stops_self_management()
    {
        var registered = await _client.RegisteredAsync(Registrations.McpClient(40001));
        var clientId = registered.GetProperty("client_id").GetString()!;
        using var admin = await fixture.AdminAsync();

        var dynamic = await (await admin.GetAsync("/admin/clients?registration_source=dynamic&limit=200")).ExpectAsync(HttpStatusCode.OK);
        var items = dynamic.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, c => c.GetProperty("client_id").GetString() == clientId);
        Assert.All(items, c => Assert.Equal("dynamic", c.GetProperty("registration_source").GetString()));
        var statics = await (await admin.GetAsync("/admin/clients?registration_source=static&limit=200")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(statics.GetProperty("items").EnumerateArray(), c => c.GetProperty("client_id").GetString() == clientId);
        await (await admin.GetAsync("/admin/clients?registration_source=other")).ProblemAsync(HttpStatusCode.BadRequest, "registration_source");

        // Registered in the audit log, as the client itself.
        var created = Assert.Single(await admin.AuditAsync($"subject={clientId}&event_type=client.created"));
        Assert.Equal("client", created.GetProperty("actor_type").GetString());
        Assert.Contains("dynamic", created.GetProperty("details").GetRawText(), StringComparison.Ordinal);

        await (await admin.SendAsync(Infrastructure.Admin.Request(HttpMethod.Post, $"/admin/clients/{clientId}/disable"))).ExpectAsync(HttpStatusCode.OK);
        await Registrations.InvalidTokenAsync(await _client.GetAsync(Registrations.ConfigurationPath(registered), Registrations.Token(registered)));
        Assert.Single(await admin.AuditAsync($"subject={clientId}&event_type=client.disabled"));
    }

    private static string PublicJwks() =>
        """{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""";

    private static string PrivateJwks() =>
        """{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}]}""";
}

internal static class RegistrationHttp
{
    public static Task<HttpResponseMessage> GetAsync(this HttpClient http, string path, string? bearer) =>
        http.SendAsync(Registrations.Request(HttpMethod.Get, path, null, bearer));
}
