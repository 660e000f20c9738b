using AuthService.Infrastructure.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.ClientKeys;

/// <summary>The keys a client registered, as keys that verify what it signs (client assertions, request objects).</summary>
internal static class ClientVerificationKeys
{
    /// <summary>
    /// RSA and EC keys through IdentityModel, Ed25519 (RFC 8037 §2) through the server's EdDSA provider, which
    /// IdentityModel's JSON Web Keys lack. A key marked for encryption is skipped (RFC 7517 §4.2), and so is any
    /// other key type.
    /// </summary>
    public static IReadOnlyList<SecurityKey> From(IEnumerable<JsonWebKey> jwks) => [.. jwks.Select(AsVerificationKey).OfType<SecurityKey>()];

    private static SecurityKey? AsVerificationKey(JsonWebKey jwk) => jwk switch
    {
        { Use: { Length: > 0 } use } when use != JsonWebKeyUseNames.Sig => null,
        { Kty: JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve } => jwk,
        { Kty: EdDsaSecurityKey.KeyType } => EdDsaSecurityKey.FromClientJwk(jwk),
        _ => null,
    };
}
