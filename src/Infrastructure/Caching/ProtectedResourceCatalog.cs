using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Resources;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Caching;

/// <summary>
/// Registered resources in memory for <c>Auth:ClientCacheSeconds</c>, "not registered" answers included, so that an
/// introspection by a resource server reads no resource row per request (issue 16). A change made on this replica evicts
/// the entry at once; a change made elsewhere is seen within the cache time, as for clients (<see cref="ClientCatalog"/>).
/// The identifiers looked up are the audiences of tokens this server signed, not a caller's free choice; the cache is bounded.
/// </summary>
internal sealed class ProtectedResourceCatalog(IServiceScopeFactory scopes, IOptions<AuthServerOptions> options)
    : IProtectedResourceCatalog, IDisposable
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 50_000 });
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.ClientCacheSeconds);

    public async ValueTask<IReadOnlyList<ProtectedResource>> FindManyAsync(IReadOnlyCollection<string> resources, CancellationToken cancellationToken)
    {
        var found = new List<ProtectedResource>(resources.Count);
        List<string>? missing = null;
        foreach (var resource in resources)
        {
            if (_cache.TryGetValue(resource, out Entry? cached))
            {
                if (cached!.Resource is { } registered)
                {
                    found.Add(registered);
                }
            }
            else
            {
                (missing ??= []).Add(resource);
            }
        }

        if (missing is null)
        {
            return found;
        }

        await using var scope = scopes.CreateAsyncScope();
        var read = await scope.ServiceProvider.GetRequiredService<IProtectedResourceRepository>().FindManyAsync(missing, cancellationToken);
        foreach (var resource in missing)
        {
            var registered = read.FirstOrDefault(r => r.Resource == resource);
            if (registered is not null)
            {
                found.Add(registered);
            }

            if (_ttl > TimeSpan.Zero)
            {
                _cache.Set(resource, new Entry(registered), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _ttl });
            }
        }

        return found;
    }

    public void Invalidate(string resource) => _cache.Remove(resource);

    public void Dispose() => _cache.Dispose();

    /// <summary>Wraps the resource so that "not registered" is cached too.</summary>
    private sealed record Entry(ProtectedResource? Resource);
}
