namespace AuthService.ResourceServer.Jose;

/// <summary>
/// The JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) this library can verify: asymmetric ones only. <c>none</c>
/// and the HMAC family are not in the set, so no configuration can allow them: an HMAC "verified" with a public
/// key is the algorithm-confusion attack (RFC 8725 §2.1, CVE-2024-37568).
/// </summary>
public static class JwsAlgorithms
{
    public const string ES256 = "ES256";
    public const string ES384 = "ES384";
    public const string ES512 = "ES512";
    public const string RS256 = "RS256";
    public const string RS384 = "RS384";
    public const string RS512 = "RS512";
    public const string PS256 = "PS256";
    public const string PS384 = "PS384";
    public const string PS512 = "PS512";
    public const string EdDSA = "EdDSA";

    /// <summary>Every algorithm this library can verify.</summary>
    public static IReadOnlyList<string> Verifiable { get; } = [ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA];

    /// <summary>What AuthService signs access tokens with (ES256 by default; RS256 and EdDSA on request).</summary>
    public static IReadOnlyList<string> AccessTokenDefaults { get; } = [ES256, RS256, EdDSA];

    /// <summary>The DPoP proof algorithms accepted by default: the asymmetric ones in common use by DPoP clients.</summary>
    public static IReadOnlyList<string> DpopDefaults { get; } = [ES256, ES384, ES512, RS256, PS256, EdDSA];

    public static bool IsVerifiable(string? algorithm) => algorithm is not null && Verifiable.Contains(algorithm, StringComparer.Ordinal);
}
