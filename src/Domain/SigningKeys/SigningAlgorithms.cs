namespace AuthService.Domain.SigningKeys;

/// <summary>JWS algorithms (RFC 7518 §3.1) this server signs with. Never "none", never symmetric.</summary>
public static class SigningAlgorithms
{
    public const string ES256 = "ES256";
    public const string RS256 = "RS256";

    public static IReadOnlyList<string> Supported { get; } = [ES256, RS256];

    public static bool IsSupported(string algorithm) => Supported.Contains(algorithm, StringComparer.Ordinal);
}
