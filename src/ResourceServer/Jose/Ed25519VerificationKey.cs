using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace AuthService.ResourceServer.Jose;

/// <summary>
/// An OKP key on Ed25519 (RFC 8037 §2), verifying <c>EdDSA</c> as PureEdDSA (RFC 8032 §5.1, the only variant
/// RFC 8037 §3.1 allows) with BouncyCastle's RFC 8032 code, since .NET has no Ed25519. Verification only: a
/// resource server never signs, so this is the library's own small verifier rather than the server's signing
/// provider (docs/adr/0020 says why the server's classes are not shared).
/// </summary>
internal sealed class Ed25519VerificationKey : VerificationKey
{
    public const string Curve = "Ed25519";

    private readonly Ed25519PublicKeyParameters _publicKey;
    private readonly string _x;

    public Ed25519VerificationKey(string x, byte[] encodedPoint, string? keyId, string? algorithm)
        : base(keyId, algorithm)
    {
        _x = x;

        // The constructor decodes the point and refuses one that is not on the curve.
        _publicKey = new Ed25519PublicKeyParameters(encodedPoint);
    }

    protected override string ThumbprintInput => Canonical(("crv", Curve), ("kty", "OKP"), ("x", _x));

    protected override bool VerifyCore(string algorithm, byte[] signingInput, byte[] signature) =>
        algorithm == JwsAlgorithms.EdDSA
        && signature.Length == Ed25519.SignatureSize
        && _publicKey.Verify(Ed25519.Algorithm.Ed25519, ctx: null, signingInput, 0, signingInput.Length, signature, 0);
}
