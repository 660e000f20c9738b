using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Federation;
using AuthService.Domain.Federation;
using AuthService.Infrastructure.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Federation;

/// <summary>AES-256-GCM under the key-encryption key, like client secrets; the provider's name is associated data.</summary>
internal sealed class ExternalProviderSecrets(KeyEncryptionKey kek) : IExternalProviderSecrets
{
    private const string Purpose = "upstream_client_secret";

    public byte[] Protect(string providerName, string secret) => kek.Protect(Encoding.UTF8.GetBytes(secret), providerName, Purpose);

    public string Unprotect(string providerName, byte[] protectedValue) => Encoding.UTF8.GetString(kek.Unprotect(protectedValue, providerName, Purpose));
}

/// <summary>
/// The <c>client_secret</c> of the token request: the stored secret decrypted (RFC 6749 §2.3.1), or for the Apple preset a
/// fresh ES256 JWT signed with the team's PKCS#8 key, which is what Apple stores as the secret (Sign in with Apple REST
/// API, "Creating a client secret": header <c>kid</c> the key id; <c>iss</c> the team id, <c>sub</c> the client id (the
/// Services ID), <c>aud</c> <see cref="AppleAudience"/>, <c>iat</c> now and <c>exp</c> at most six months later; five
/// minutes here, one is made per token request). The key is never logged nor kept decrypted.
/// </summary>
internal sealed class UpstreamClientSecret(IExternalProviderSecrets secrets, TimeProvider clock) : IUpstreamClientSecret
{
    public const string AppleAudience = "https://appleid.apple.com";

    public static readonly TimeSpan AppleSecretLifetime = TimeSpan.FromMinutes(5);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public Task<string?> ForTokenRequestAsync(ExternalProvider provider, CancellationToken cancellationToken)
    {
        if (provider.ProtectedSecret is not { } stored)
        {
            return Task.FromResult<string?>(null);
        }

        var secret = secrets.Unprotect(provider.Name, stored);
        return Task.FromResult<string?>(provider.Preset == ExternalProviderPresets.Apple ? AppleClientSecret(provider, secret, clock.GetUtcNow()) : secret);
    }

    /// <summary>Throws <see cref="CryptographicException"/> or <see cref="ArgumentException"/> when the stored key is not a P-256 PKCS#8 PEM.</summary>
    private static string AppleClientSecret(ExternalProvider provider, string privateKeyPem, DateTimeOffset now)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        if (key.KeySize != 256)
        {
            throw new CryptographicException("Apple's client secret is signed with a P-256 key.");
        }

        var signingKey = new ECDsaSecurityKey(key) { KeyId = provider.AppleKeyId, CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false } };
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = provider.AppleTeamId,
            Audience = AppleAudience,
            IssuedAt = now.UtcDateTime,
            Expires = (now + AppleSecretLifetime).UtcDateTime,
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = provider.ClientId },
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
