using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.SigningKeys;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// Generates key pairs: ECDSA P-256 for ES256 and RSA for RS256 with .NET's own cryptography, Ed25519 for EdDSA with
/// BouncyCastle (.NET has no Ed25519). P-256 and Ed25519 give 128-bit security; RSA has the modulus of
/// <see cref="SigningKeyOptions.RsaKeySize"/> (3072 by default, 128-bit security as ASVS 5.0 11.2.3 asks; 2048 when an
/// operator chooses the faster signature every RS256 ID token pays for, docs/adr/0040).
/// The key id is the RFC 7638 JWK thumbprint; every private key is stored as encrypted PKCS#8.
/// </summary>
internal sealed class SigningKeyMaterialFactory(KeyEncryptionKey kek, IOptions<SigningKeyOptions> options) : ISigningKeyMaterialFactory
{

    public GeneratedKeyMaterial Generate(string algorithm) => algorithm switch
    {
        SigningAlgorithms.ES256 => GenerateEc(),
        SigningAlgorithms.RS256 => GenerateRsa(),
        SigningAlgorithms.EdDSA => GenerateEd25519(),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unsupported signing algorithm."),
    };

    private GeneratedKeyMaterial GenerateEc()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: false);
        var x = Base64UrlEncoder.Encode(p.Q.X);
        var y = Base64UrlEncoder.Encode(p.Q.Y);

        // RFC 7638 §3.2: required members, lexicographic order, no whitespace.
        var kid = Thumbprint($"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{x}\",\"y\":\"{y}\"}}");
        var jwk = Serialize(new Dictionary<string, string>
        {
            ["kty"] = "EC", ["use"] = "sig", ["alg"] = SigningAlgorithms.ES256, ["kid"] = kid, ["crv"] = "P-256", ["x"] = x, ["y"] = y,
        });
        return Protect(kid, SigningAlgorithms.ES256, jwk, ec.ExportPkcs8PrivateKey());
    }

    private GeneratedKeyMaterial GenerateRsa()
    {
        using var rsa = RSA.Create(options.Value.RsaKeySize);
        var p = rsa.ExportParameters(includePrivateParameters: false);
        var n = Base64UrlEncoder.Encode(p.Modulus);
        var e = Base64UrlEncoder.Encode(p.Exponent);
        var kid = Thumbprint($"{{\"e\":\"{e}\",\"kty\":\"RSA\",\"n\":\"{n}\"}}");
        var jwk = Serialize(new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = SigningAlgorithms.RS256, ["kid"] = kid, ["n"] = n, ["e"] = e,
        });
        return Protect(kid, SigningAlgorithms.RS256, jwk, rsa.ExportPkcs8PrivateKey());
    }

    private GeneratedKeyMaterial GenerateEd25519()
    {
        var privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        var x = Base64UrlEncoder.Encode(privateKey.GeneratePublicKey().GetEncoded());
        var kid = Thumbprint(EdDsaSecurityKey.ThumbprintInput(x));
        var jwk = Serialize(new Dictionary<string, string>
        {
            ["kty"] = EdDsaSecurityKey.KeyType, ["use"] = "sig", ["alg"] = SigningAlgorithms.EdDSA, ["kid"] = kid, ["crv"] = EdDsaSecurityKey.Curve, ["x"] = x,
        });
        return Protect(kid, SigningAlgorithms.EdDSA, jwk, PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey).GetEncoded());
    }

    private GeneratedKeyMaterial Protect(string kid, string algorithm, string jwk, byte[] pkcs8)
    {
        try
        {
            return new GeneratedKeyMaterial(kid, jwk, kek.Protect(pkcs8, kid, algorithm), kek.Id);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static string Thumbprint(string canonicalJwk) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalJwk)));

    private static string Serialize(Dictionary<string, string> members) => JsonSerializer.Serialize(members);
}
