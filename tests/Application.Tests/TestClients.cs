using AuthService.Domain.Clients;

namespace AuthService.Application.Tests;

/// <summary>Clients registered through the aggregate, as the catalog would hold them.</summary>
internal static class TestClients
{
    public const string ServiceSecret = "service-secret-0123456789";

    public static readonly DateTimeOffset RegisteredAt = Fakes.TestClock.Start;

    public static ClientSettings Service(string authMethod = TokenEndpointAuthMethods.ClientSecretBasic) => new(
        ClientName: "Service",
        TokenEndpointAuthMethod: authMethod,
        RedirectUris: [],
        PostLogoutRedirectUris: [],
        GrantTypes: [GrantTypes.ClientCredentials],
        AllowedScopes: ["api.read", "api.write"],
        AccessTokenLifetime: TimeSpan.FromMinutes(15),
        Audience: null);

    public static ClientSettings Browser() => new(
        ClientName: "Browser",
        TokenEndpointAuthMethod: TokenEndpointAuthMethods.None,
        RedirectUris: ["https://c1.example/cb"],
        PostLogoutRedirectUris: [],
        GrantTypes: [GrantTypes.AuthorizationCode],
        AllowedScopes: ["openid", "api.read"],
        AccessTokenLifetime: TimeSpan.FromMinutes(5),
        Audience: null);

    public static Client RegisterService(string clientId = "svc", ClientSettings? settings = null, string secret = ServiceSecret) =>
        Client.Register(clientId, settings ?? Service(), SecretHash.Compute(secret), RegisteredAt);

    public static Client RegisterBrowser(string clientId = "spa") =>
        Client.Register(clientId, Browser(), secret: null, RegisteredAt);
}
