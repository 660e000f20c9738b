using AuthService.Application.Common.Security;

namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Read-side lookup of clients for the hot path (token endpoint): served from memory, refreshed from
/// the store after a bounded time and invalidated when a client changes.
/// </summary>
public interface IClientCatalog
{
    ValueTask<ClientSnapshot?> FindAsync(string clientId, CancellationToken cancellationToken);

    void Invalidate(string clientId);
}
