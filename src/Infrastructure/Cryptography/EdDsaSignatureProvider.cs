using AuthService.Domain.SigningKeys;
using Microsoft.IdentityModel.Tokens;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// PureEdDSA over Ed25519 (RFC 8032 §5.1, the only variant RFC 8037 §3.1 allows) with BouncyCastle's
/// RFC 8032 implementation. Stateless per call, so one instance is safe across threads.
/// </summary>
internal sealed class EdDsaSignatureProvider(EdDsaSecurityKey key) : SignatureProvider(key, SigningAlgorithms.EdDSA)
{
    public override byte[] Sign(byte[] input) => Sign(input, 0, input.Length);

    public override byte[] Sign(byte[] input, int offset, int count)
    {
        var signature = new byte[Ed25519.SignatureSize];
        var privateKey = key.PrivateKey ?? throw new InvalidOperationException($"Key {key.KeyId} is a public key and cannot sign.");
        privateKey.Sign(Ed25519.Algorithm.Ed25519, ctx: null, input, offset, count, signature, 0);
        return signature;
    }

    public override bool Sign(ReadOnlySpan<byte> data, Span<byte> destination, out int bytesWritten)
    {
        var signature = Sign(data.ToArray());
        bytesWritten = signature.Length;
        return signature.AsSpan().TryCopyTo(destination);
    }

    public override bool Verify(byte[] input, byte[] signature) =>
        Verify(input, 0, input.Length, signature, 0, signature.Length);

    public override bool Verify(byte[] input, int inputOffset, int inputLength, byte[] signature, int signatureOffset, int signatureLength) =>
        signatureLength == Ed25519.SignatureSize
        && key.PublicKey.Verify(Ed25519.Algorithm.Ed25519, ctx: null, input, inputOffset, inputLength, signature, signatureOffset);

    protected override void Dispose(bool disposing)
    {
    }
}
