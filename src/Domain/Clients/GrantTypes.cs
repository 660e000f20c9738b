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

    public static IReadOnlyList<string> Supported { get; } = [AuthorizationCode, ClientCredentials, RefreshToken, DeviceCode];

    public static bool IsSupported(string grantType) => Supported.Contains(grantType, StringComparer.Ordinal);
}
