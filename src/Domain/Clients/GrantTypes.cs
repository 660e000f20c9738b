namespace AuthService.Domain.Clients;

/// <summary>
/// Grant types a client may be registered for. OAuth 2.1 removes the implicit and password grants,
/// so they are not in the set and a registration that names them is refused.
/// </summary>
public static class GrantTypes
{
    public const string AuthorizationCode = "authorization_code";
    public const string ClientCredentials = "client_credentials";
    public const string RefreshToken = "refresh_token";

    /// <summary>The device authorization grant (RFC 8628 §3.4).</summary>
    public const string DeviceCode = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>OAuth 2.0 Token Exchange (RFC 8693 §2.1), for confidential clients only.</summary>
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";

    public static IReadOnlyList<string> Supported { get; } = [AuthorizationCode, ClientCredentials, RefreshToken, DeviceCode, TokenExchange];

    /// <summary>Grants that only a client able to authenticate may use: client credentials (OAuth 2.1 §4.2) and token exchange.</summary>
    public static bool IsConfidentialOnly(string grantType) =>
        string.Equals(grantType, ClientCredentials, StringComparison.Ordinal) || string.Equals(grantType, TokenExchange, StringComparison.Ordinal);

    public static bool IsSupported(string grantType) => Supported.Contains(grantType, StringComparer.Ordinal);
}
