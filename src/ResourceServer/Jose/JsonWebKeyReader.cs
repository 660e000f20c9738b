using System.Security.Cryptography;
using System.Text.Json;

namespace AuthService.ResourceServer.Jose;

/// <summary>
/// Reads public JWKs (RFC 7517 §4; RFC 7518 §6; RFC 8037 §2) into <see cref="VerificationKey"/>s. A JWK that holds
/// private members is refused whole, never "used for its public part": a DPoP proof must carry a public key only
/// (RFC 9449 §4.3 point 7), and a JWKS that publishes a private key is a leak, not a key to trust.
/// </summary>
internal static class JsonWebKeyReader
{
    /// <summary>Private members of EC, RSA and OKP keys (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2), and the symmetric <c>k</c> (§6.4.1).</summary>
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private static readonly Dictionary<string, (ECCurve Curve, int Size)> Curves = new(StringComparer.Ordinal)
    {
        ["P-256"] = (ECCurve.NamedCurves.nistP256, 32),
        ["P-384"] = (ECCurve.NamedCurves.nistP384, 48),
        ["P-521"] = (ECCurve.NamedCurves.nistP521, 66),
    };

    public static bool HasPrivateMembers(JsonElement jwk) => PrivateMembers.Any(name => jwk.TryGetProperty(name, out _));

    /// <summary>The public key, or null when the JWK is not an object, has private members, or is not a well-formed EC, RSA or Ed25519 public key.</summary>
    public static VerificationKey? Read(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object || HasPrivateMembers(jwk))
        {
            return null;
        }

        var keyId = String(jwk, "kid");
        var algorithm = String(jwk, "alg");
        try
        {
            return String(jwk, "kty") switch
            {
                "EC" => ReadEc(jwk, keyId, algorithm),
                "RSA" => ReadRsa(jwk, keyId, algorithm),
                "OKP" => ReadOkp(jwk, keyId, algorithm),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static EcVerificationKey? ReadEc(JsonElement jwk, string? keyId, string? algorithm)
    {
        if (String(jwk, "crv") is not { } crv || !Curves.TryGetValue(crv, out var curve)
            || String(jwk, "x") is not { } x || String(jwk, "y") is not { } y
            || Bytes(x) is not { } xBytes || Bytes(y) is not { } yBytes
            || xBytes.Length != curve.Size || yBytes.Length != curve.Size)
        {
            return null;
        }

        return new EcVerificationKey(crv, x, y, new ECParameters { Curve = curve.Curve, Q = new ECPoint { X = xBytes, Y = yBytes } }, keyId, algorithm);
    }

    private static RsaVerificationKey? ReadRsa(JsonElement jwk, string? keyId, string? algorithm)
    {
        if (String(jwk, "n") is not { } n || String(jwk, "e") is not { } e
            || Bytes(n) is not { } modulus || Bytes(e) is not { } exponent
            || modulus.Length == 0 || modulus[0] == 0 || modulus.Length * 8 < RsaVerificationKey.MinimumBits
            || exponent.Length == 0 || exponent.Length > 8)
        {
            return null;
        }

        return new RsaVerificationKey(n, e, new RSAParameters { Modulus = modulus, Exponent = exponent }, keyId, algorithm);
    }

    /// <summary>Only Ed25519: RFC 8037's EdDSA also names Ed448, which AuthService neither issues nor accepts.</summary>
    private static Ed25519VerificationKey? ReadOkp(JsonElement jwk, string? keyId, string? algorithm) =>
        String(jwk, "crv") == Ed25519VerificationKey.Curve && String(jwk, "x") is { } x && Bytes(x) is { Length: 32 } point
            ? new Ed25519VerificationKey(x, point, keyId, algorithm)
            : null;

    private static string? String(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[]? Bytes(string base64Url) => CompactJws.Decode(base64Url);
}
