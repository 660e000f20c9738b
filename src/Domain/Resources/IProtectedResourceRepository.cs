namespace AuthService.Domain.Resources;

public interface IProtectedResourceRepository
{
    Task<ProtectedResource?> FindAsync(string resource, CancellationToken cancellationToken);

    /// <summary>The registered resources among <paramref name="resources"/> (exact identifiers), read-only.</summary>
    Task<IReadOnlyList<ProtectedResource>> FindManyAsync(IReadOnlyCollection<string> resources, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> resources ordered by identifier (ordinal), strictly after <paramref name="after"/> when given; read-only.</summary>
    Task<IReadOnlyList<ProtectedResource>> ListAsync(string? after, int take, CancellationToken cancellationToken);

    void Add(ProtectedResource resource);

    void Remove(ProtectedResource resource);
}
