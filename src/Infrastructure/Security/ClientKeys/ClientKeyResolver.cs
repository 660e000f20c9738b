using System.Collections.Concurrent;
using AuthService.Application.Common.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.ClientKeys;

/// <summary>
/// A client's public keys: registered by value (<c>jwks</c>, which the domain checked holds public keys only), or
/// fetched from its <c>jwks_uri</c> through the <see cref="JwksUriCache"/> for <c>Auth:ClientJwksUriCacheSeconds</c>,
/// an unknown <c>kid</c> fetching again at most once per <c>Auth:ClientJwksUriRefetchSeconds</c> per client. When an
/// administrator changes the client's <c>jwks_uri</c> (or switches it to <c>jwks</c>), the cached set no longer matches.
/// </summary>
internal sealed class ClientKeyResolver(JwksUriFetcher fetcher, IOptions<AuthServerOptions> options, TimeProvider clock) : IClientKeyResolver
{
    private readonly JwksUriCache _fetched = new(
        fetcher, TimeSpan.FromSeconds(options.Value.ClientJwksUriCacheSeconds), TimeSpan.FromSeconds(options.Value.ClientJwksUriRefetchSeconds), clock);

    // Registered (inline) key sets, parsed once per registered document rather than at every authentication
    // on the token endpoint; an update of the client's jwks replaces the entry.
    private readonly ConcurrentDictionary<string, RegisteredKeys> _registered = new(StringComparer.Ordinal);

    public async ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(ClientSnapshot client, string? kid, CancellationToken cancellationToken)
    {
        if (client.Jwks is not null)
        {
            _fetched.Forget(client.ClientId);
            if (_registered.TryGetValue(client.ClientId, out var registered) && string.Equals(registered.Jwks, client.Jwks, StringComparison.Ordinal))
            {
                return registered.Keys;
            }

            var parsed = JwksUriCache.Parse(client.Jwks);
            _registered[client.ClientId] = new RegisteredKeys(client.Jwks, parsed);
            return parsed;
        }

        _registered.TryRemove(client.ClientId, out _);

        if (client.JwksUri is null)
        {
            _fetched.Forget(client.ClientId);
            return [];
        }

        return await _fetched.ResolveAsync(client.ClientId, client.JwksUri, kid, cancellationToken);
    }

    private sealed record RegisteredKeys(string Jwks, IReadOnlyList<JsonWebKey> Keys);
}
