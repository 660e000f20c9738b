namespace AuthService.Domain.Clients;

/// <summary>
/// JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) a client may sign with: assertions, request objects.
/// <c>none</c> is never among them (RFC 8725 §3.1).
/// </summary>
public static class JwsAlgorithms
{
    public const string RS256 = "RS256";
    public const string RS384 = "RS384";
    public const string RS512 = "RS512";
    public const string PS256 = "PS256";
    public const string PS384 = "PS384";
    public const string PS512 = "PS512";
    public const string ES256 = "ES256";
    public const string ES384 = "ES384";
    public const string ES512 = "ES512";
    public const string EdDSA = "EdDSA";
    public const string HS256 = "HS256";
    public const string HS384 = "HS384";
    public const string HS512 = "HS512";

    /// <summary>Signature algorithms with a public key: private_key_jwt assertions, request objects.</summary>
    public static IReadOnlyList<string> Asymmetric { get; } = [RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA];

    /// <summary>MAC algorithms keyed with the client secret: client_secret_jwt assertions only.</summary>
    public static IReadOnlyList<string> Symmetric { get; } = [HS256, HS384, HS512];

    public static bool IsAsymmetric(string? alg) => alg is not null && Asymmetric.Contains(alg, StringComparer.Ordinal);

    public static bool IsSymmetric(string? alg) => alg is not null && Symmetric.Contains(alg, StringComparer.Ordinal);
}
