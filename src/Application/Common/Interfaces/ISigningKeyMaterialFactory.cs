namespace AuthService.Application.Common.Interfaces;

/// <summary>A fresh key pair: the public JWK, and the private key already encrypted at rest.</summary>
public sealed record GeneratedKeyMaterial(string KeyId, string PublicJwk, byte[] ProtectedPrivateKey, string KeyEncryptionKeyId);

public interface ISigningKeyMaterialFactory
{
    GeneratedKeyMaterial Generate(string algorithm);
}
