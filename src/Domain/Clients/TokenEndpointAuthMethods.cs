namespace AuthService.Domain.Clients;

/// <summary>
/// RFC 7591 §2 <c>token_endpoint_auth_method</c> values this server registers: the secret methods of
/// RFC 6749 §2.3.1, the JWT assertions of OIDC Core §9 / RFC 7523, and the mutual-TLS methods of
/// RFC 8705 §2.
/// </summary>
public static class TokenEndpointAuthMethods
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string ClientSecretPost = "client_secret_post";

    /// <summary>An HS* JWT keyed with the client secret (OIDC Core §9).</summary>
    public const string ClientSecretJwt = "client_secret_jwt";

    /// <summary>A JWT signed with a private key whose public half the client registered (OIDC Core §9, RFC 7523 §2.2).</summary>
    public const string PrivateKeyJwt = "private_key_jwt";

    /// <summary>A CA-issued TLS client certificate matched by subject DN or SAN (RFC 8705 §2.1).</summary>
    public const string TlsClientAuth = "tls_client_auth";

    /// <summary>A self-signed TLS client certificate registered in the client's JWKS (RFC 8705 §2.2).</summary>
    public const string SelfSignedTlsClientAuth = "self_signed_tls_client_auth";

    /// <summary>A public client: it has no credentials (RFC 7591 §2, "none").</summary>
    public const string None = "none";

    public static IReadOnlyList<string> Supported { get; } =
        [ClientSecretBasic, ClientSecretPost, ClientSecretJwt, PrivateKeyJwt, TlsClientAuth, SelfSignedTlsClientAuth, None];

    public static bool IsSupported(string method) => Supported.Contains(method, StringComparer.Ordinal);

    /// <summary>The methods that authenticate with a shared secret, which the client must therefore hold.</summary>
    public static bool UsesSecret(string method) => method is ClientSecretBasic or ClientSecretPost or ClientSecretJwt;

    /// <summary>The methods that need the client's public keys (<c>jwks</c> or <c>jwks_uri</c>).</summary>
    public static bool UsesKeys(string method) => method is PrivateKeyJwt or SelfSignedTlsClientAuth;

    /// <summary>The methods that present a JWT assertion (RFC 7521 §4.2 <c>client_assertion</c>).</summary>
    public static bool UsesAssertion(string method) => method is ClientSecretJwt or PrivateKeyJwt;

    /// <summary>The mutual-TLS methods (RFC 8705 §2).</summary>
    public static bool UsesMutualTls(string method) => method is TlsClientAuth or SelfSignedTlsClientAuth;
}
