using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace AuthService.ResourceServer.Tests.Infrastructure;

/// <summary>
/// A key pair the tests sign with: access tokens as the authority would, DPoP proofs as a client would. Its JWKs
/// and RFC 7638 thumbprint are computed here, independently of the library's own code.
/// </summary>
public abstract class TestSigningKey
{
    protected TestSigningKey(string keyId, string algorithm)
    {
        KeyId = keyId;
        Algorithm = algorithm;
    }

    public string KeyId { get; }

    public string Algorithm { get; }

    /// <summary>The public JWK with <c>kid</c>, <c>use</c> and <c>alg</c>, as a JWKS publishes it.</summary>
    public JsonObject PublishedJwk
    {
        get
        {
            var jwk = PublicJwk;
            jwk["kid"] = KeyId;
            jwk["use"] = "sig";
            jwk["alg"] = Algorithm;
            return jwk;
        }
    }

    /// <summary>The required public members only (RFC 7638 §3.2), in lexicographic order.</summary>
    public abstract JsonObject PublicJwk { get; }

    /// <summary>The public JWK plus the private members.</summary>
    public abstract JsonObject PrivateJwk { get; }

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, without whitespace.</summary>
    public string Thumbprint => B64(SHA256.HashData(Encoding.UTF8.GetBytes(PublicJwk.ToJsonString())));

    public abstract byte[] Sign(byte[] input, string algorithm);

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public static TestSigningKey Es256(string keyId = "es-1") => new EcKey(keyId, "ES256", ECCurve.NamedCurves.nistP256, "P-256");

    public static TestSigningKey Es384(string keyId = "es384-1") => new EcKey(keyId, "ES384", ECCurve.NamedCurves.nistP384, "P-384");

    public static TestSigningKey Rs256(string keyId = "rs-1") => new RsaKey(keyId, "RS256");

    public static TestSigningKey Ps256(string keyId = "ps-1") => new RsaKey(keyId, "PS256");

    public static TestSigningKey EdDsa(string keyId = "ed-1") => new Ed25519Key(keyId);

    private sealed class EcKey(string keyId, string algorithm, ECCurve curve, string curveName) : TestSigningKey(keyId, algorithm)
    {
        private readonly ECDsa _key = ECDsa.Create(curve);

        public override JsonObject PublicJwk
        {
            get
            {
                var p = _key.ExportParameters(false);
                return new JsonObject { ["crv"] = curveName, ["kty"] = "EC", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
            }
        }

        public override JsonObject PrivateJwk
        {
            get
            {
                var jwk = PublicJwk;
                jwk["d"] = B64(_key.ExportParameters(true).D!);
                return jwk;
            }
        }

        public override byte[] Sign(byte[] input, string algorithm) => _key.SignData(input, algorithm switch
        {
            "ES384" => HashAlgorithmName.SHA384,
            "ES512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        }, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private sealed class RsaKey(string keyId, string algorithm) : TestSigningKey(keyId, algorithm)
    {
        private readonly RSA _key = RSA.Create(2048);

        public override JsonObject PublicJwk
        {
            get
            {
                var p = _key.ExportParameters(false);
                return new JsonObject { ["e"] = B64(p.Exponent!), ["kty"] = "RSA", ["n"] = B64(p.Modulus!) };
            }
        }

        public override JsonObject PrivateJwk
        {
            get
            {
                var p = _key.ExportParameters(true);
                var jwk = PublicJwk;
                jwk["d"] = B64(p.D!);
                jwk["p"] = B64(p.P!);
                jwk["q"] = B64(p.Q!);
                return jwk;
            }
        }

        public override byte[] Sign(byte[] input, string algorithm) =>
            _key.SignData(input, HashAlgorithmName.SHA256, algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
    }

    private sealed class Ed25519Key(string keyId) : TestSigningKey(keyId, "EdDSA")
    {
        private readonly Ed25519PrivateKeyParameters _key = new(new SecureRandom());

        public override JsonObject PublicJwk => new() { ["crv"] = "Ed25519", ["kty"] = "OKP", ["x"] = B64(_key.GeneratePublicKey().GetEncoded()) };

        public override JsonObject PrivateJwk
        {
            get
            {
                var jwk = PublicJwk;
                jwk["d"] = B64(_key.GetEncoded());
                return jwk;
            }
        }

        public override byte[] Sign(byte[] input, string algorithm)
        {
            var signature = new byte[64];
            _key.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519, null, input, 0, input.Length, signature, 0);
            return signature;
        }
    }
}
