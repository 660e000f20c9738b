using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.ClientKeys;

/// <summary>
/// Key sets fetched from a <c>jwks_uri</c> through the hardened <see cref="JwksUriFetcher"/>, kept per owner (a client,
/// a trusted issuer) for <paramref name="cacheFor"/>. An unknown <c>kid</c> fetches again at most once per
/// <paramref name="refetchAfter"/> per owner, so an owner can rotate keys but nobody can make the server fetch on every
/// request. An entry remembers the URI it came from: a changed URI is fetched afresh. A failed fetch keeps keys still
/// fresh, else leaves none until the next attempt. The fetch is a delegate so that other key sources with their own
/// transport (an upstream identity provider's <c>jwks_uri</c>, docs/adr/0037) share the same caching rules.
/// </summary>
internal sealed class JwksUriCache(Func<string, string, CancellationToken, Task<string?>> fetch, TimeSpan cacheFor, TimeSpan refetchAfter, TimeProvider clock)
{
    public JwksUriCache(JwksUriFetcher fetcher, TimeSpan cacheFor, TimeSpan refetchAfter, TimeProvider clock)
        : this(fetcher.FetchAsync, cacheFor, refetchAfter, clock)
    {
    }

    private readonly ConcurrentDictionary<string, FetchedKeys> _fetched = new(StringComparer.Ordinal);

    public async ValueTask<IReadOnlyList<JsonWebKey>> ResolveAsync(string owner, string jwksUri, string? kid, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cached = _fetched.TryGetValue(owner, out var entry) && entry.JwksUri == jwksUri ? entry : null;
        if (cached is not null)
        {
            var fresh = now - cached.FetchedAt < cacheFor;
            var kidUnknown = kid is not null && !cached.Keys.Any(k => k.KeyId == kid);
            if ((fresh && !kidUnknown) || now - cached.LastAttempt < refetchAfter)
            {
                return cached.Keys;
            }
        }

        var json = await fetch(owner, jwksUri, cancellationToken);
        if (json is null)
        {
            var keep = cached is not null && now - cached.FetchedAt < cacheFor;
            _fetched[owner] = keep
                ? cached! with { LastAttempt = now }
                : new FetchedKeys(jwksUri, [], DateTimeOffset.MinValue, now);
            return keep ? cached!.Keys : [];
        }

        var keys = Parse(json);
        _fetched[owner] = new FetchedKeys(jwksUri, keys, now, now);
        return keys;
    }

    /// <summary>Drops what is kept for <paramref name="owner"/>.</summary>
    public void Forget(string owner) => _fetched.TryRemove(owner, out _);

    /// <summary>Each member of a JWK Set as an IdentityModel key (the set's JSON was validated: public keys only).</summary>
    public static IReadOnlyList<JsonWebKey> Parse(string jwks)
    {
        using var document = JsonDocument.Parse(jwks);
        return [.. document.RootElement.GetProperty("keys").EnumerateArray().Select(key => new JsonWebKey(key.GetRawText()))];
    }

    private sealed record FetchedKeys(string JwksUri, IReadOnlyList<JsonWebKey> Keys, DateTimeOffset FetchedAt, DateTimeOffset LastAttempt);
}
