using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Org.BouncyCastle.Crypto.Parameters;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// An Ed25519 key (RFC 8037 §2, OKP) as an IdentityModel <see cref="SecurityKey"/>. IdentityModel has no
/// EdDSA of its own, so the key carries a crypto provider factory whose custom provider signs and verifies
/// with BouncyCastle; every JsonWebTokenHandler call then works with it like with the ES256 and RS256 keys.
/// </summary>
internal sealed class EdDsaSecurityKey : AsymmetricSecurityKey
{
    public const string KeyType = "OKP";
    public const string Curve = "Ed25519";

    private EdDsaSecurityKey(Ed25519PublicKeyParameters publicKey, Ed25519PrivateKeyParameters? privateKey, string keyId)
    {
        PublicKey = publicKey;
        PrivateKey = privateKey;
        KeyId = keyId;
        CryptoProviderFactory = new CryptoProviderFactory { CustomCryptoProvider = EdDsaCryptoProvider.Instance, CacheSignatureProviders = false };
    }

    public Ed25519PublicKeyParameters PublicKey { get; }

    public Ed25519PrivateKeyParameters? PrivateKey { get; }

    [Obsolete("HasPrivateKey method is deprecated, please use PrivateKeyStatus.")]
    public override bool HasPrivateKey => PrivateKey is not null;

    public override PrivateKeyStatus PrivateKeyStatus => PrivateKey is null ? PrivateKeyStatus.DoesNotExist : PrivateKeyStatus.Exists;

    public override int KeySize => 256;

    public static EdDsaSecurityKey ForSigning(Ed25519PrivateKeyParameters privateKey, string keyId) =>
        new(privateKey.GeneratePublicKey(), privateKey, keyId);

    /// <summary>
    /// The public key of a published OKP JWK (RFC 8037 §2): <c>crv</c> must be Ed25519 and <c>x</c> the
    /// 32-byte encoded point; anything else is refused rather than guessed.
    /// </summary>
    public static EdDsaSecurityKey FromPublicJwk(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.GetProperty("kty").GetString() != KeyType || root.GetProperty("crv").GetString() != Curve)
        {
            throw new ArgumentException("Only OKP keys on the Ed25519 curve are EdDSA keys here.", nameof(json));
        }

        var x = Base64UrlEncoder.DecodeBytes(root.GetProperty("x").GetString());
        if (x.Length != Ed25519PublicKeyParameters.KeySize)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(json));
        }

        return new EdDsaSecurityKey(new Ed25519PublicKeyParameters(x), null, root.GetProperty("kid").GetString()!);
    }

    /// <summary>A client's registered Ed25519 public key (RFC 8037 §2), or null when the JWK is not one; its kid may be absent.</summary>
    public static EdDsaSecurityKey? FromClientJwk(JsonWebKey jwk)
    {
        if (jwk.Kty != KeyType || jwk.Crv != Curve || jwk.X is null)
        {
            return null;
        }

        var x = Base64UrlEncoder.DecodeBytes(jwk.X);
        return x.Length == Ed25519PublicKeyParameters.KeySize ? new EdDsaSecurityKey(new Ed25519PublicKeyParameters(x), null, jwk.Kid) : null;
    }

    /// <summary>An Ed25519 public key from its 32-byte encoding (RFC 8037 §2 <c>x</c>), e.g. the <c>jwk</c> of a DPoP proof.</summary>
    public static EdDsaSecurityKey FromPublicKey(byte[] x, string keyId)
    {
        if (x.Length != Ed25519PublicKeyParameters.KeySize)
        {
            throw new ArgumentException("An Ed25519 public key is 32 bytes.", nameof(x));
        }

        return new EdDsaSecurityKey(new Ed25519PublicKeyParameters(x), null, keyId);
    }

    /// <summary>RFC 7638 §3.2 input for an OKP key (RFC 8037 §2): crv, kty, x in that order, no whitespace.</summary>
    public static string ThumbprintInput(string x) => $"{{\"crv\":\"{Curve}\",\"kty\":\"{KeyType}\",\"x\":\"{x}\"}}";
}
