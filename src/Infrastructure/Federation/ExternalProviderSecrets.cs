using System.Text;
using AuthService.Application.Federation;
using AuthService.Infrastructure.Cryptography;

namespace AuthService.Infrastructure.Federation;

/// <summary>AES-256-GCM under the key-encryption key, like client secrets; the provider's name is associated data.</summary>
internal sealed class ExternalProviderSecrets(KeyEncryptionKey kek) : IExternalProviderSecrets
{
    private const string Purpose = "upstream_client_secret";

    public byte[] Protect(string providerName, string secret) => kek.Protect(Encoding.UTF8.GetBytes(secret), providerName, Purpose);

    public string Unprotect(string providerName, byte[] protectedValue) => Encoding.UTF8.GetString(kek.Unprotect(protectedValue, providerName, Purpose));
}

/// <summary>The stored secret, decrypted for the token request (<c>client_secret_post</c>, RFC 6749 §2.3.1).</summary>
internal sealed class UpstreamClientSecret(IExternalProviderSecrets secrets) : IUpstreamClientSecret
{
    public Task<string?> ForTokenRequestAsync(Domain.Federation.ExternalProvider provider, CancellationToken cancellationToken) =>
        Task.FromResult(provider.ProtectedSecret is { } stored ? secrets.Unprotect(provider.Name, stored) : null);
}
