using AuthService.Application.Seeding.Commands.ApplySeed;

namespace AuthService.Application.Tests.Seeding;

internal static class SeedClients
{
    public const string Secret = "seeded-secret-0123456789";

    public static SeedClient Service(string clientId = "svc", string? secret = Secret) => new(
        ClientId: clientId,
        ClientSecret: secret,
        ClientName: "Seeded service",
        RedirectUris: null,
        PostLogoutRedirectUris: null,
        GrantTypes: ["client_credentials"],
        TokenEndpointAuthMethod: null,
        Scope: "api.read api.write",
        AccessTokenLifetime: 600,
        Audience: null);

    public static SeedClient Browser(string clientId = "spa") => new(
        ClientId: clientId,
        ClientSecret: null,
        ClientName: null,
        RedirectUris: ["https://c1.example/cb"],
        PostLogoutRedirectUris: null,
        GrantTypes: null,
        TokenEndpointAuthMethod: null,
        Scope: "openid api.read",
        AccessTokenLifetime: null,
        Audience: null);

    public static SeedDocument Document(params SeedClient[] clients) => new(clients, Users: null);
}
