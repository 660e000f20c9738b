using AuthService.Application.Common.Interfaces;
using AuthService.Application.Resources;
using AuthService.Domain.Resources;

namespace AuthService.Application.Tests.Fakes;

/// <summary>The registry, and the catalog over it (no cache: every lookup reads the registry).</summary>
internal sealed class InMemoryProtectedResourceRepository : IProtectedResourceRepository, IProtectedResourceCatalog
{
    private readonly Dictionary<string, ProtectedResource> _resources = new(StringComparer.Ordinal);

    /// <summary>Resource indicators over an empty registry: every <c>resource</c> value is unknown.</summary>
    public static ResourceIndicators NoResources() => new(new InMemoryProtectedResourceRepository());

    public Task<ProtectedResource?> FindAsync(string resource, CancellationToken cancellationToken) =>
        Task.FromResult(_resources.GetValueOrDefault(resource));

    public Task<IReadOnlyList<ProtectedResource>> FindManyAsync(IReadOnlyCollection<string> resources, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProtectedResource>>([.. resources.Select(_resources.GetValueOrDefault).OfType<ProtectedResource>()]);

    async ValueTask<IReadOnlyList<ProtectedResource>> IProtectedResourceCatalog.FindManyAsync(IReadOnlyCollection<string> resources, CancellationToken cancellationToken) =>
        await FindManyAsync(resources, cancellationToken);

    void IProtectedResourceCatalog.Invalidate(string resource)
    {
    }

    public Task<IReadOnlyList<ProtectedResource>> ListAsync(string? after, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProtectedResource>>([.. _resources.Values
            .Where(r => after is null || string.CompareOrdinal(r.Resource, after) > 0)
            .OrderBy(r => r.Resource, StringComparer.Ordinal).Take(take)]);

    public void Add(ProtectedResource resource) => _resources.Add(resource.Resource, resource);

    public void Remove(ProtectedResource resource) => _resources.Remove(resource.Resource);
}
