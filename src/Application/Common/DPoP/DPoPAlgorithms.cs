using AuthService.Domain.Clients;

namespace AuthService.Application.Common.DPoP;

/// <summary>
/// The JWS algorithms a DPoP proof may be signed with (RFC 9449 §4.3 item 5: asymmetric only), published as
/// <c>dpop_signing_alg_values_supported</c> (§5.1). Never <c>none</c>, never an HMAC: the key in the proof is
/// public, and a MAC keyed with public material proves nothing (CVE-2024-37568 is that confusion).
/// </summary>
public static class DPoPAlgorithms
{
    public static IReadOnlyList<string> Supported { get; } = JwsAlgorithms.Asymmetric;

    public static bool IsSupported(string? alg) => JwsAlgorithms.IsAsymmetric(alg);
}
