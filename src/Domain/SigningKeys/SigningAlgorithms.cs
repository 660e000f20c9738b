namespace AuthService.Domain.SigningKeys;

/// <summary>JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) this server signs with. Never "none", never symmetric.</summary>
public static class SigningAlgorithms
{
    public const string ES256 = "ES256";
    public const string RS256 = "RS256";

    /// <summary>Ed25519 (RFC 8037 §3.1, RFC 8032 §5.1): the only curve this server generates for EdDSA.</summary>
    public const string EdDSA = "EdDSA";

    public static IReadOnlyList<string> Supported { get; } = [ES256, RS256, EdDSA];

    public static bool IsSupported(string algorithm) => Supported.Contains(algorithm, StringComparer.Ordinal);
}
