using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Caching;

/// <summary>
/// Client snapshots in memory for <c>Auth:ClientCacheSeconds</c>, including "no such client" answers, so
/// the token endpoint does not read the database per request. A change made on this replica evicts
/// the entry at once; a change made elsewhere is seen within the cache time. The cache is bounded.
/// A client_id that is an https URL and is not registered here is resolved from its client ID metadata document
/// (<see cref="ClientIdMetadataDocumentResolver"/>), so every endpoint that looks a client up gets such clients.
/// </summary>
internal sealed class ClientCatalog(IServiceScopeFactory scopes, IOptions<AuthServerOptions> options, ClientIdMetadataDocumentResolver documents)
    : IClientCatalog, IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 50_000 });
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.ClientCacheSeconds);

    public async ValueTask<ClientSnapshot?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var registered = await FindRegisteredAsync(clientId, cancellationToken);
        return registered is null && documents.Handles(clientId)
            ? await documents.ResolveAsync(clientId, cancellationToken)
            : registered;
    }

    private async ValueTask<ClientSnapshot?> FindRegisteredAsync(string clientId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(clientId, out Entry? cached))
        {
            return cached!.Client;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var client = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
        var snapshot = client is null ? null : ClientSnapshot.From(client);
        if (_ttl > TimeSpan.Zero)
        {
            _cache.Set(clientId, new Entry(snapshot), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _ttl });
        }

        return snapshot;
    }

    public void Invalidate(string clientId) => _cache.Remove(clientId);

    /// <summary>
    /// Answers <paramref name="client"/> for its id, from memory only, until <see cref="Release"/>: the warm-up's client
    /// (<see cref="Hosting.ServerWarmUp"/>), which is never stored. Not evicted by size or time while held.
    /// </summary>
    internal void Hold(ClientSnapshot client) =>
        _cache.Set(client.ClientId, new Entry(client), new MemoryCacheEntryOptions { Size = 1, Priority = CacheItemPriority.NeverRemove });

    internal void Release(string clientId) => _cache.Remove(clientId);

    public void Dispose() => _cache.Dispose();

    /// <summary>Wraps the snapshot so that "no such client" is cached too.</summary>
    private sealed record Entry(ClientSnapshot? Client);
}
