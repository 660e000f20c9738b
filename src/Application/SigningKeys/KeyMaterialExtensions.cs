using AuthService.Application.Common.Interfaces;
using AuthService.Domain.SigningKeys;

namespace AuthService.Application.SigningKeys;

public static class KeyMaterialExtensions
{
    /// <summary>Generates a key pair for <paramref name="algorithm"/> and adds it to the store as a pending key.</summary>
    public static SigningKey GenerateAndAdd(
        this ISigningKeyMaterialFactory material, ISigningKeyRepository keys, string algorithm, DateTimeOffset now, DateTimeOffset activatesAt)
    {
        var generated = material.Generate(algorithm);
        var key = SigningKey.Generate(generated.KeyId, algorithm, generated.PublicJwk, generated.ProtectedPrivateKey,
            generated.KeyEncryptionKeyId, now, activatesAt);
        keys.Add(key);
        return key;
    }
}
