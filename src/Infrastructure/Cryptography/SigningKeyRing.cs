using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.SigningKeys;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// The signing keys of this replica, decrypted in memory, and the JWKS serialized once per change.
/// A reload builds a complete new snapshot and swaps it in atomically, so readers never see a mix.
/// </summary>
internal sealed class SigningKeyRing(IServiceScopeFactory scopes, KeyEncryptionKey kek) : ISigningKeyRing
{
    private volatile Snapshot? _current;

    public bool IsReady => _current is { } snapshot && SigningAlgorithms.Supported.All(snapshot.Signers.ContainsKey);

    public JsonWebKeySetDocument Jwks => Current.Jwks;

    private Snapshot Current => _current ?? throw new TemporarilyUnavailableException("The signing keys have not been loaded yet.");

    /// <summary>The public keys of every published key, for verifying tokens this server issued.</summary>
    public IReadOnlyList<SecurityKey> VerificationKeys => Current.VerificationKeys;

    /// <summary>The credentials of the active key for <paramref name="algorithm"/>.</summary>
    public SigningCredentials SigningCredentialsFor(string algorithm) =>
        Current.Signers.TryGetValue(algorithm, out var credentials)
            ? credentials
            : throw new TemporarilyUnavailableException($"No active {algorithm} signing key is loaded.");

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<ISigningKeyRepository>().ListPublishedAsync(cancellationToken);

        // Unchanged key set (the common case for the periodic refresh): keep the decrypted keys.
        var fingerprint = string.Join(';', keys.OrderBy(k => k.KeyId, StringComparer.Ordinal).Select(k => $"{k.KeyId}:{k.State}:{k.Version}"));
        if (_current?.Fingerprint == fingerprint)
        {
            return;
        }

        var signers = new Dictionary<string, SigningCredentials>(StringComparer.Ordinal);
        foreach (var algorithm in SigningAlgorithms.Supported)
        {
            if (SigningKeyPolicy.SelectSigningKey(keys, algorithm) is { } active)
            {
                signers[algorithm] = new SigningCredentials(Decrypt(active), algorithm);
            }
        }

        var published = SigningKeyPolicy.Published(keys);
        var json = "{\"keys\":[" + string.Join(',', published.Select(k => k.PublicJwk)) + "]}";
        var etag = "\"" + Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(json))[..16]) + "\"";
        _current = new Snapshot(
            fingerprint,
            signers,
            [.. published.Select(VerificationKey)],
            new JsonWebKeySetDocument(json, etag, [.. published.Select(k => k.KeyId)]));
    }

    private SecurityKey Decrypt(SigningKey key)
    {
        if (!string.Equals(key.KeyEncryptionKeyId, kek.Id, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Signing key {key.KeyId} was encrypted with key-encryption key {key.KeyEncryptionKeyId}, but this replica has {kek.Id}. " +
                "Give every replica the same Auth:KeyEncryptionKey.");
        }

        var pkcs8 = kek.Unprotect(key.ProtectedPrivateKey, key.KeyId, key.Algorithm);
        try
        {
            switch (key.Algorithm)
            {
                case SigningAlgorithms.ES256:
                    var ec = ECDsa.Create();
                    ec.ImportPkcs8PrivateKey(pkcs8, out _);
                    return new ECDsaSecurityKey(ec) { KeyId = key.KeyId };
                case SigningAlgorithms.RS256:
                    var rsa = RSA.Create();
                    rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                    return new RsaSecurityKey(rsa) { KeyId = key.KeyId };
                case SigningAlgorithms.EdDSA:
                    return EdDsaSecurityKey.ForSigning((Ed25519PrivateKeyParameters)PrivateKeyFactory.CreateKey(pkcs8), key.KeyId);
                default:
                    throw new InvalidOperationException($"Unsupported signing algorithm {key.Algorithm}.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>IdentityModel reads EC and RSA JWKs itself; OKP (RFC 8037) keys it does not know become <see cref="EdDsaSecurityKey"/>.</summary>
    private static SecurityKey VerificationKey(SigningKey key) =>
        key.Algorithm == SigningAlgorithms.EdDSA ? EdDsaSecurityKey.FromPublicJwk(key.PublicJwk) : new JsonWebKey(key.PublicJwk);

    private sealed record Snapshot(
        string Fingerprint,
        IReadOnlyDictionary<string, SigningCredentials> Signers,
        IReadOnlyList<SecurityKey> VerificationKeys,
        JsonWebKeySetDocument Jwks);
}
