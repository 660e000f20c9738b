using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// The clients of the catalogue's fixtures (§0), as this version supports them,
/// and the seed file that registers them.
/// </summary>
public static class TestClients
{
    public const string Issuer = "https://issuer.test";

    /// <summary>Base64 of 32 fixed bytes (0x01..0x20): the key-encryption key of every in-process server.</summary>
    public static readonly string KeyEncryptionKey = Convert.ToBase64String([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    /// <summary>Another valid key-encryption key, for the "wrong key" start.</summary>
    public static readonly string OtherKeyEncryptionKey = Convert.ToBase64String([.. Enumerable.Range(101, 32).Select(i => (byte)i)]);

    public const string C1 = "C1";
    public const string C1Secret = "c1-secret-0123456789abcdef";
    public const string C2 = "C2";
    public const string C2Secret = "c2-secret-fedcba9876543210";
    public const string CP = "CP";
    public const string CPSecret = "cp-secret-0123456789abcdef";
    public const string CA = "CA";
    public const string CASecret = "ca-secret-0123456789abcdef";
    public const string P1 = "P1";

    /// <summary>Holds every character that Basic's form-encoding must escape.</summary>
    public const string CX = "a:b%c+d e";
    public const string CXSecret = "s:e%c+r et-0123456789";
    public const string CXAudience = "https://api.example/x";

    public static JsonObject SeedDocument() => new()
    {
        ["clients"] = new JsonArray(
            Client(C1, C1Secret, "client_secret_basic", ["client_credentials"], "api.read api.write"),
            Client(C2, C2Secret, "client_secret_basic", ["client_credentials"], "api.read"),
            Client(CP, CPSecret, "client_secret_post", ["client_credentials"], "api.read", accessTokenLifetime: 300),
            Client(CA, CASecret, "client_secret_basic", ["authorization_code"], "api.read", redirectUris: ["https://ca.example/cb"]),
            Client(P1, null, "none", ["authorization_code"], "api.read", redirectUris: ["https://p1.example/cb"]),
            Client(CX, CXSecret, "client_secret_basic", ["client_credentials"], "api.read", audience: CXAudience)),
    };

    public static JsonObject Client(
        string clientId,
        string? secret,
        string authMethod,
        string[] grantTypes,
        string scope,
        string[]? redirectUris = null,
        int? accessTokenLifetime = null,
        string? audience = null)
    {
        var client = new JsonObject
        {
            ["client_id"] = clientId,
            ["token_endpoint_auth_method"] = authMethod,
            ["grant_types"] = new JsonArray([.. grantTypes.Select(g => (JsonNode)g)]),
            ["scope"] = scope,
        };
        if (secret is not null)
        {
            client["client_secret"] = secret;
        }

        if (redirectUris is not null)
        {
            client["redirect_uris"] = new JsonArray([.. redirectUris.Select(u => (JsonNode)u)]);
        }

        if (accessTokenLifetime is not null)
        {
            client["access_token_lifetime"] = accessTokenLifetime;
        }

        if (audience is not null)
        {
            client["audience"] = audience;
        }

        return client;
    }

    public static string SeedJson() => SeedDocument().ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
