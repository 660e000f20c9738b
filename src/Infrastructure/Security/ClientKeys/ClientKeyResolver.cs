using System.Collections.Concurrent;
using System.Text.Json;
using AuthService.Application.Common.Security;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.ClientKeys;

/// <summary>
/// A client's public keys: registered by value (<c>jwks</c>, which the domain checked holds public keys only), or
/// fetched from its <c>jwks_uri</c> through the hardened <see cref="JwksUriFetcher"/> and kept per client for
/// <c>Auth:ClientJwksUriCacheSeconds</c>. An unknown <c>kid</c> fetches again at most once per
/// <c>Auth:ClientJwksUriRefetchSeconds</c> per client, so a client can rotate keys but nobody can make the server
/// fetch on every request. The cache entry remembers the URI it came from: when an administrator changes the
/// client's <c>jwks_uri</c> (or switches it to <c>jwks</c>), the client's next snapshot no longer matches it.
/// </summary>
internal sealed class ClientKeyResolver(JwksUriFetcher fetcher, IOptions<AuthServerOptions> options, TimeProvider clock) : IClientKeyResolver
{
    private readonly TimeSpan _cacheFor = TimeSpan.FromSeconds(options.Value.ClientJwksUriCacheSeconds);
    private readonly TimeSpan _refetchAfter = TimeSpan.FromSeconds(options.Value.ClientJwksUriRefetchSeconds);
    private readonly ConcurrentDictionary<string, FetchedKeys> _fetched = new(StringComparer.Ordinal);

    // Registered (inline) key sets, parsed once per registered document rather than at every authentication
    // on the token endpoint; an update of the client's jwks replaces the entry.
    private readonly ConcurrentDictionary<string, RegisteredKeys> _registered = new(StringComparer.Ordinal);

    public async ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(ClientSnapshot client, string? kid, CancellationToken cancellationToken)
    {
        if (client.Jwks is not null)
        {
            _fetched.TryRemove(client.ClientId, out _);
            if (_registered.TryGetValue(client.ClientId, out var registered) && string.Equals(registered.Jwks, client.Jwks, StringComparison.Ordinal))
            {
                return registered.Keys;
            }

            var parsed = Parse(client.Jwks);
            _registered[client.ClientId] = new RegisteredKeys(client.Jwks, parsed);
            return parsed;
        }

        _registered.TryRemove(client.ClientId, out _);

        if (client.JwksUri is null)
        {
            _fetched.TryRemove(client.ClientId, out _);
            return [];
        }

        var now = clock.GetUtcNow();
        var cached = _fetched.TryGetValue(client.ClientId, out var entry) && entry.JwksUri == client.JwksUri ? entry : null;
        if (cached is not null)
        {
            var fresh = now - cached.FetchedAt < _cacheFor;
            var kidUnknown = kid is not null && !cached.Keys.Any(k => k.KeyId == kid);
            if ((fresh && !kidUnknown) || now - cached.LastAttempt < _refetchAfter)
            {
                return cached.Keys;
            }
        }

        var json = await fetcher.FetchAsync(client.ClientId, client.JwksUri, cancellationToken);
        if (json is null)
        {
            // Keys still fresh stay in use; otherwise none, until the next attempt after the refetch interval.
            var keep = cached is not null && now - cached.FetchedAt < _cacheFor;
            _fetched[client.ClientId] = keep
                ? cached! with { LastAttempt = now }
                : new FetchedKeys(client.JwksUri, [], DateTimeOffset.MinValue, now);
            return keep ? cached!.Keys : [];
        }

        var keys = Parse(json);
        _fetched[client.ClientId] = new FetchedKeys(client.JwksUri, keys, now, now);
        return keys;
    }

    /// <summary>Each member of a JWK Set as an IdentityModel key (the set's JSON was validated: public keys only).</summary>
    private static IReadOnlyList<JsonWebKey> Parse(string jwks)
    {
        using var document = JsonDocument.Parse(jwks);
        return [.. document.RootElement.GetProperty("keys").EnumerateArray().Select(key => new JsonWebKey(key.GetRawText()))];
    }

    private sealed record RegisteredKeys(string Jwks, IReadOnlyList<JsonWebKey> Keys);

    private sealed record FetchedKeys(string JwksUri, IReadOnlyList<JsonWebKey> Keys, DateTimeOffset FetchedAt, DateTimeOffset LastAttempt);
}
