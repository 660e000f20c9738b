using AuthService.Domain.Resources;

namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Read-side lookup of registered protected resources (RFC 8707) for the hot path (introspection): served from memory,
/// "not registered" answers included, refreshed from the store after a bounded time and invalidated on this replica when
/// a resource changes, as <see cref="IClientCatalog"/> is for clients.
/// </summary>
public interface IProtectedResourceCatalog
{
    /// <summary>The registered resources among <paramref name="resources"/> (exact identifiers). Shared instances: read them, never change them.</summary>
    ValueTask<IReadOnlyList<ProtectedResource>> FindManyAsync(IReadOnlyCollection<string> resources, CancellationToken cancellationToken);

    void Invalidate(string resource);
}
