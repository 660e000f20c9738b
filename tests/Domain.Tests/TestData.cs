using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.Users;

namespace AuthService.Domain.Tests;

/// <summary>Fixed instants and valid settings that each test varies with <c>with</c>.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public const string SecretValue = "first-secret-0123456789";

    public static SecretHash Secret(string value = SecretValue) => SecretHash.Compute(value);

    /// <summary>A confidential service client: client_secret_basic, client_credentials only.</summary>
    public static ClientSettings Confidential() => new(
        ClientName: "Service One",
        TokenEndpointAuthMethod: TokenEndpointAuthMethods.ClientSecretBasic,
        RedirectUris: [],
        PostLogoutRedirectUris: [],
        GrantTypes: [GrantTypes.ClientCredentials],
        AllowedScopes: ["api.read", "api.write"],
        AccessTokenLifetime: TimeSpan.FromMinutes(10),
        Audience: null);

    /// <summary>A public browser client: none, authorization_code + refresh_token.</summary>
    public static ClientSettings Public() => new(
        ClientName: "Browser App",
        TokenEndpointAuthMethod: TokenEndpointAuthMethods.None,
        RedirectUris: ["https://c1.example/cb"],
        PostLogoutRedirectUris: ["https://c1.example/bye"],
        GrantTypes: [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
        AllowedScopes: ["openid", "api.read"],
        AccessTokenLifetime: TimeSpan.FromMinutes(5),
        Audience: null);

    public static Client RegisterConfidential(string clientId = "svc") =>
        Client.Register(clientId, Confidential(), Secret(), Now);

    public static Client RegisterPublic(string clientId = "spa") =>
        Client.Register(clientId, Public(), secret: null, Now);

    public static readonly Guid UserId = new("5f0c2a1e-7b3d-4c8e-9a61-2d4f8b0e1c37");

    public const string PasswordHash = "v1$test-hash";

    public const string Stamp = "stamp-one";

    /// <summary>A complete profile: username, verified e-mail, display name.</summary>
    public static UserProfile Alice() => new("Alice", "alice@example.com", EmailVerified: true, "Alice Example");

    public static User RegisterAlice(UserProfile? profile = null, string? passwordHash = PasswordHash) =>
        User.Register(UserId, profile ?? Alice(), passwordHash, Stamp, Now);

    /// <summary>Asserts the aggregate refused the operation and named <paramref name="field"/>.</summary>
    public static DomainRuleViolationException AssertRefused(string field, Action action)
    {
        var refused = Assert.Throws<DomainRuleViolationException>(action);
        Assert.Equal(field, refused.Field);
        return refused;
    }
}
