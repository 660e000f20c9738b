using AuthService.Application.Common.Interfaces;
using AuthService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Caching;

/// <summary>
/// The origins of every enabled client's redirect URIs, read at most once per <c>Auth:ClientCacheSeconds</c>.
/// An origin is compared as the browser sends it (<c>scheme://host[:port]</c>, lower case, default port
/// omitted); a redirect URI on a loopback IP literal allows any port of it (RFC 8252 §7.3).
/// </summary>
internal sealed class WebOrigins(IServiceScopeFactory scopes, IOptions<AuthServerOptions> options, TimeProvider clock) : IWebOrigins
{
    private readonly TimeSpan _ttl = TimeSpan.FromSeconds(options.Value.ClientCacheSeconds);
    private Snapshot? _snapshot;

    public async ValueTask<bool> IsAllowedAsync(string origin, CancellationToken cancellationToken)
    {
        if (origin.Length > 300 || !Uri.TryCreate(origin, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http")
            || origin != parsed.GetLeftPart(UriPartial.Authority))
        {
            return false;
        }

        var snapshot = _snapshot;
        if (snapshot is null || clock.GetUtcNow() >= snapshot.ExpiresAt)
        {
            snapshot = _snapshot = await LoadAsync(cancellationToken);
        }

        return snapshot.Origins.Contains(origin)
            || (parsed.Scheme == "http" && snapshot.LoopbackHosts.Contains(parsed.Host));
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        var clients = await db.Clients.AsNoTracking().Where(c => c.Enabled).ToListAsync(cancellationToken);
        var origins = new HashSet<string>(StringComparer.Ordinal);
        var loopbackHosts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var uri in clients.SelectMany(c => c.RedirectUris))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
            {
                continue; // private-use schemes of native apps have no web origin
            }

            if (parsed.Scheme == "http" && parsed.IsLoopback && parsed.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            {
                loopbackHosts.Add(parsed.Host);
            }

            origins.Add(parsed.GetLeftPart(UriPartial.Authority));
        }

        return new Snapshot(origins, loopbackHosts, clock.GetUtcNow() + _ttl);
    }

    private sealed record Snapshot(HashSet<string> Origins, HashSet<string> LoopbackHosts, DateTimeOffset ExpiresAt);
}
