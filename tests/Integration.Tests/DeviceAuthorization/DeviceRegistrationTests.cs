using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.Registration;

namespace AuthService.Integration.Tests.DeviceAuthorization;

/// <summary>Open registration whose operator allows the device grant besides the code flow.</summary>
public sealed class DeviceRegistrationFixture : OpenRegistrationFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>(base.Overrides)
    {
        ["Auth:Registration:AllowedGrantTypes:0"] = "authorization_code",
        ["Auth:Registration:AllowedGrantTypes:1"] = "refresh_token",
        ["Auth:Registration:AllowedGrantTypes:2"] = "urn:ietf:params:oauth:grant-type:device_code",
    };
}

/// <summary>
/// RFC 7591 §2 with RFC 8628: a device registers itself for the device grant (with refresh tokens, without the code
/// flow or a redirect URI) where the operator allows that grant, and can start a device authorization at once.
/// </summary>
public sealed class DeviceRegistrationTests(DeviceRegistrationFixture server) : IClassFixture<DeviceRegistrationFixture>
{
    [Fact]
    public async Task A_device_registers_for_the_device_grant_and_starts_a_device_authorization()
    {
        var registered = await server.Client.RegisteredAsync(new JsonObject
        {
            ["client_name"] = "Self-registered TV",
            ["grant_types"] = new JsonArray("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"),
            ["response_types"] = new JsonArray(),
            ["token_endpoint_auth_method"] = "none",
            ["scope"] = "openid offline_access",
        });
        Assert.Equal(["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
            registered.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()));

        using var response = await server.Client.PostAsync("/connect/deviceauthorization", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = registered.GetProperty("client_id").GetString()!,
            ["scope"] = "openid offline_access",
        }));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.True(JsonDocument.Parse(text).RootElement.TryGetProperty("user_code", out _));
    }

    // The admin API registers a device client like any other: the grant with refresh tokens, no code flow, no redirect URI.
    [Fact]
    public async Task The_admin_api_registers_a_device_client_and_refuses_refresh_tokens_without_a_user_grant()
    {
        using var admin = await server.AdminAsync();
        JsonObject Body(string clientId, params string[] grants) => new()
        {
            ["client_id"] = clientId,
            ["client_name"] = "Admin-registered TV",
            ["token_endpoint_auth_method"] = "none",
            ["grant_types"] = new JsonArray([.. grants.Select(g => (JsonNode)g)]),
            ["scope"] = "openid offline_access",
        };

        var created = await (await admin.PostAsync("/admin/clients", Infrastructure.Admin.Json(Body("admin-tv", "urn:ietf:params:oauth:grant-type:device_code", "refresh_token").ToJsonString())))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Contains("urn:ietf:params:oauth:grant-type:device_code", created.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()));
        await (await admin.PostAsync("/admin/clients", Infrastructure.Admin.Json(Body("admin-refresh-only", "refresh_token").ToJsonString())))
            .ProblemAsync(HttpStatusCode.BadRequest, "grant_types");
    }
}
