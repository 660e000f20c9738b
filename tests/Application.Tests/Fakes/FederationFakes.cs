using System.Text;
using AuthService.Application.Federation;
using AuthService.Domain.Federation;

namespace AuthService.Application.Tests.Fakes;

public sealed class InMemoryExternalProviderRepository : IExternalProviderRepository
{
    public List<ExternalProvider> Providers { get; } = [];

    public Task<ExternalProvider?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Providers.SingleOrDefault(p => p.Name == name));

    public Task<ExternalProvider?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Providers.SingleOrDefault(p => p.Id == id));

    public Task<IReadOnlyList<ExternalProvider>> ListAsync(bool enabledOnly, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ExternalProvider>>([.. Providers.Where(p => !enabledOnly || p.Enabled).OrderBy(p => p.Name, StringComparer.Ordinal)]);

    public void Add(ExternalProvider provider) => Providers.Add(provider);

    public void Remove(ExternalProvider provider) => Providers.Remove(provider);
}

/// <summary>A reversible stand-in for the key-encryption key: a marker, the provider's name and the secret; a wrong name does not decrypt.</summary>
public sealed class FakeExternalProviderSecrets : IExternalProviderSecrets
{
    public int Protected { get; private set; }

    public byte[] Protect(string providerName, string secret)
    {
        Protected++;
        return Encoding.UTF8.GetBytes($"enc:{providerName}:{secret}");
    }

    public string Unprotect(string providerName, byte[] protectedValue)
    {
        var text = Encoding.UTF8.GetString(protectedValue);
        var prefix = $"enc:{providerName}:";
        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : throw new System.Security.Cryptography.CryptographicException("Wrong key.");
    }
}

public sealed class InMemoryExternalIdentityRepository : IExternalIdentityRepository
{
    public List<ExternalIdentity> Identities { get; } = [];

    public Task<ExternalIdentity?> FindAsync(Guid providerId, string subject, CancellationToken cancellationToken) =>
        Task.FromResult(Identities.SingleOrDefault(i => i.ProviderId == providerId && i.Subject == subject));

    public Task<IReadOnlyList<ExternalIdentity>> ListByUserIdAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ExternalIdentity>>([.. Identities.Where(i => i.UserId == userId).OrderBy(i => i.LinkedAt)]);

    public Task<bool> AnyForProviderAsync(Guid providerId, CancellationToken cancellationToken) => Task.FromResult(Identities.Any(i => i.ProviderId == providerId));

    public void Add(ExternalIdentity identity) => Identities.Add(identity);

    public void Remove(ExternalIdentity identity) => Identities.Remove(identity);
}
