using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Registration;

/// <summary>
/// RFC 7592: read, replace and delete a dynamic registration with its registration access token; the token rotates on
/// every update; another client's token, a static client and a wrong token all answer 401 invalid_token alike.
/// </summary>
public sealed class ClientConfigurationTests(OpenRegistrationFixture fixture) : IClassFixture<OpenRegistrationFixture>
{
    private readonly HttpClient _client = fixture.Client;

    [Fact]
    public async Task The_client_reads_its_registration_without_secret_or_token()
    {
        var registered = await _client.RegisteredAsync(Confidential("https://read.example/cb"));

        using var response = await _client.GetAsync(Registrations.ConfigurationPath(registered), Registrations.Token(registered));
        var read = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(registered.GetProperty("client_id").GetString(), read.GetProperty("client_id").GetString());
        Assert.Equal(registered.GetProperty("registration_client_uri").GetString(), read.GetProperty("registration_client_uri").GetString());
        Assert.Equal(["https://read.example/cb"], read.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()));
        Assert.False(read.TryGetProperty("client_secret", out _));
        Assert.False(read.TryGetProperty("registration_access_token", out _));
    }

    [Fact]
    public async Task Another_clients_token_a_wrong_token_and_no_token_are_401_for_read_update_and_delete_and_change_nothing()
    {
        var victim = await _client.RegisteredAsync(Registrations.McpClient(40100));
        var attacker = await _client.RegisteredAsync(Registrations.McpClient(40101));
        var path = Registrations.ConfigurationPath(victim);
        var update = Registrations.McpClient(40100);
        update["client_id"] = victim.GetProperty("client_id").GetString();
        update["redirect_uris"] = new JsonArray("http://127.0.0.1:40100/stolen");

        foreach (var token in new[] { Registrations.Token(attacker), Registrations.Token(victim) + "x", null })
        {
            await Registrations.InvalidTokenAsync(await _client.GetAsync(path, token));
            await Registrations.InvalidTokenAsync(await _client.SendAsync(Registrations.Request(HttpMethod.Put, path, update, token)));
            await Registrations.InvalidTokenAsync(await _client.SendAsync(Registrations.Request(HttpMethod.Delete, path, null, token)));
        }

        // An unknown client id reads the same as a wrong token.
        await Registrations.InvalidTokenAsync(await _client.GetAsync(Registrations.Path + "/no-such-client", Registrations.Token(attacker)));

        var read = await (await _client.GetAsync(path, Registrations.Token(victim))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["http://127.0.0.1:40100/callback"], read.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task A_static_client_cannot_be_managed_through_the_configuration_endpoint()
    {
        var someToken = Registrations.Token(await _client.RegisteredAsync(Registrations.McpClient(40200)));

        await Registrations.InvalidTokenAsync(await _client.GetAsync($"{Registrations.Path}/{SignInClients.CW}", someToken));
        await Registrations.InvalidTokenAsync(await _client.SendAsync(Registrations.Request(HttpMethod.Delete, $"{Registrations.Path}/{SignInClients.CW}", null, someToken)));
    }

    [Fact]
    public async Task An_update_replaces_the_metadata_defaults_omitted_members_and_rotates_the_registration_access_token()
    {
        var registered = await _client.RegisteredAsync(Registrations.McpClient(40300));
        var clientId = registered.GetProperty("client_id").GetString()!;
        var path = Registrations.ConfigurationPath(registered);
        var oldToken = Registrations.Token(registered);

        // Full replacement (RFC 7592 §2.2): scope omitted, so it takes the registration default again.
        var replacement = new JsonObject
        {
            ["client_id"] = clientId,
            ["client_name"] = "Renamed",
            ["redirect_uris"] = new JsonArray("http://127.0.0.1:40300/callback", "http://[::1]/cb"),
            ["grant_types"] = new JsonArray("authorization_code"),
            ["token_endpoint_auth_method"] = "none",
            ["registration_access_token"] = "ignored",
            ["unknown_member"] = "ignored",
        };
        using var response = await _client.SendAsync(Registrations.Request(HttpMethod.Put, path, replacement, oldToken));
        var updated = await response.ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Renamed", updated.GetProperty("client_name").GetString());
        Assert.Equal(["authorization_code"], updated.GetProperty("grant_types").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(OpenRegistrationFixture.AllowedScopes, updated.GetProperty("scope").GetString());
        Assert.False(updated.TryGetProperty("unknown_member", out _));
        var newToken = Registrations.Token(updated);
        Assert.NotEqual(oldToken, newToken);
        Assert.NotEqual("ignored", newToken);

        await Registrations.InvalidTokenAsync(await _client.GetAsync(path, oldToken));
        var read = await (await _client.GetAsync(path, newToken)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", read.GetProperty("client_name").GetString());

        // The update is in the audit log.
        using var admin = await fixture.AdminAsync();
        Assert.NotEmpty(await admin.AuditAsync($"subject={clientId}&event_type=client.updated"));
    }

    [Fact]
    public async Task An_update_must_name_the_client_and_send_its_current_secret_if_any_and_obeys_every_registration_rule()
    {
        var registered = await _client.RegisteredAsync(Confidential("https://update.example/cb"));
        var clientId = registered.GetProperty("client_id").GetString()!;
        var path = Registrations.ConfigurationPath(registered);
        var token = Registrations.Token(registered);

        var withoutId = Confidential("https://update.example/cb");
        await Registrations.RegistrationErrorAsync(await _client.SendAsync(Registrations.Request(HttpMethod.Put, path, withoutId, token)), "invalid_request");

        var wrongSecret = Confidential("https://update.example/cb");
        wrongSecret["client_id"] = clientId;
        wrongSecret["client_secret"] = "not-the-secret";
        await Registrations.RegistrationErrorAsync(await _client.SendAsync(Registrations.Request(HttpMethod.Put, path, wrongSecret, token)), "invalid_request");

        var javascript = Confidential("javascript:alert(1)");
        javascript["client_id"] = clientId;
        await Registrations.RegistrationErrorAsync(await _client.SendAsync(Registrations.Request(HttpMethod.Put, path, javascript, token)), "invalid_redirect_uri");

        var turnsPublic = Confidential("https://update.example/cb");
        turnsPublic["client_id"] = clientId;
        turnsPublic["token_endpoint_auth_method"] = "none";
        await Registrations.RegistrationErrorAsync(await _client.SendAsync(Registrations.Request(HttpMethod.Put, path, turnsPublic, token)),
            "invalid_client_metadata", "token_endpoint_auth_method");

        // Refused updates changed nothing and did not rotate the token; a correct one with the right secret works.
        var right = Confidential("https://update.example/cb2");
        right["client_id"] = clientId;
        right["client_secret"] = registered.GetProperty("client_secret").GetString();
        var updated = await (await _client.SendAsync(Registrations.Request(HttpMethod.Put, path, right, token))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["https://update.example/cb2"], updated.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task Delete_answers_204_and_the_client_and_its_token_are_gone()
    {
        var registered = await _client.RegisteredAsync(Registrations.McpClient(40400));
        var clientId = registered.GetProperty("client_id").GetString()!;
        var path = Registrations.ConfigurationPath(registered);

        using (var deleted = await _client.SendAsync(Registrations.Request(HttpMethod.Delete, path, null, Registrations.Token(registered))))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        await Registrations.InvalidTokenAsync(await _client.GetAsync(path, Registrations.Token(registered)));
        using var admin = await fixture.AdminAsync();
        await (await admin.GetAsync($"/admin/clients/{clientId}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Single(await admin.AuditAsync($"subject={clientId}&event_type=client.deleted"));
    }

    private static JsonObject Confidential(string redirectUri) => new()
    {
        ["client_name"] = "Confidential partner",
        ["redirect_uris"] = new JsonArray(redirectUri),
        ["token_endpoint_auth_method"] = "client_secret_basic",
        ["scope"] = "openid",
    };
}
