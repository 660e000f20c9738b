using AuthService.Domain.SigningKeys;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// IdentityModel's extension point for an algorithm it lacks: asked by the <see cref="CryptoProviderFactory"/>
/// of an <see cref="EdDsaSecurityKey"/>, it answers only for EdDSA with such a key, so an EdDSA header can
/// never pair with an RSA or EC key, nor an ES256 header with an Ed25519 key.
/// </summary>
internal sealed class EdDsaCryptoProvider : ICryptoProvider
{
    public static EdDsaCryptoProvider Instance { get; } = new();

    public bool IsSupportedAlgorithm(string algorithm, params object[] args) =>
        algorithm == SigningAlgorithms.EdDSA && args is [EdDsaSecurityKey, ..];

    public object Create(string algorithm, params object[] args) =>
        IsSupportedAlgorithm(algorithm, args) && args is [EdDsaSecurityKey key, ..]
            ? new EdDsaSignatureProvider(key)
            : throw new NotSupportedException($"{nameof(EdDsaCryptoProvider)} creates EdDSA providers for Ed25519 keys only.");

    public void Release(object cryptoInstance)
    {
        if (cryptoInstance is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
