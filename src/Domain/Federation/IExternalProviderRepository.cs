namespace AuthService.Domain.Federation;

public interface IExternalProviderRepository
{
    Task<ExternalProvider?> FindByNameAsync(string name, CancellationToken cancellationToken);

    Task<ExternalProvider?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Every provider, by name; <paramref name="enabledOnly"/> for the sign-in page's buttons.</summary>
    Task<IReadOnlyList<ExternalProvider>> ListAsync(bool enabledOnly, CancellationToken cancellationToken);

    void Add(ExternalProvider provider);

    void Remove(ExternalProvider provider);
}

public interface IExternalIdentityRepository
{
    Task<ExternalIdentity?> FindAsync(Guid providerId, string subject, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExternalIdentity>> ListByUserIdAsync(Guid userId, CancellationToken cancellationToken);

    Task<bool> AnyForProviderAsync(Guid providerId, CancellationToken cancellationToken);

    void Add(ExternalIdentity identity);

    void Remove(ExternalIdentity identity);
}
