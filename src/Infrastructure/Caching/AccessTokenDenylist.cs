using System.Collections.Concurrent;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.AccessTokens.Events;
using AuthService.Domain.Common;

namespace AuthService.Infrastructure.Caching;

/// <summary>
/// This replica's copy of the access-token denylist (<c>revoked_access_tokens</c>), so that introspection, UserInfo and the
/// admin API answer "revoked?" without a round trip (docs/adr/0040, "the denylist in memory"). It answers only while it is
/// provably current (<see cref="IsCurrent"/>): on PostgreSQL while <see cref="RevocationListener"/>'s listening
/// connection is up and has been loaded after its <c>LISTEN</c>; on SQLite (one process) once loaded at start. Otherwise
/// <see cref="TryAnswer"/> declines and the caller reads the database, as before. Entries are only ever added (a revocation
/// is never undone) and dropped once expired, so a notification and a load that overlap cannot lose one.
/// <para>
/// Bounded: past <see cref="MaxEntries"/> unexpired entries it stops answering (the database answers instead) until a reload
/// fits again, so a client revoking its own tokens by the million costs throughput, not memory.
/// </para>
/// </summary>
internal sealed class AccessTokenDenylist(TimeProvider clock, int maxEntries = AccessTokenDenylist.DefaultMaxEntries)
{
    public const int DefaultMaxEntries = 1_000_000;

    /// <summary>Entries are kept this long past their expiry (their times are rounded up to the second in a notification).</summary>
    private static readonly TimeSpan ExpiryGrace = TimeSpan.FromMinutes(1);

    // jti → expiry, and family key (the fam claim) → expiry; unix seconds.
    private readonly ConcurrentDictionary<string, long> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _families = new(StringComparer.Ordinal);
    private volatile bool _loaded;
    private volatile bool _overflowed;
    private int _loads;

    public int MaxEntries { get; } = maxEntries;

    public int Count => _tokens.Count + _families.Count;

    /// <summary>Whether <see cref="TryAnswer"/> answers: loaded while the source of new entries is known to reach it, and within bounds.</summary>
    public bool IsCurrent => _loaded && !_overflowed;

    /// <summary>Whether entries were dropped for want of room; only a reload that fits makes the copy whole again.</summary>
    public bool Overflowed => _overflowed;

    /// <summary>
    /// The answer from memory when it is current: whether <paramref name="jwtId"/> or its family (<paramref name="familyKey"/>,
    /// the <c>fam</c> claim) is denied. False when the caller must read the database.
    /// </summary>
    public bool TryAnswer(string jwtId, string? familyKey, out bool revoked)
    {
        if (!IsCurrent)
        {
            revoked = false;
            return false;
        }

        revoked = _tokens.ContainsKey(jwtId) || (familyKey is not null && _families.ContainsKey(familyKey));
        return true;
    }

    /// <summary>Adds an entry (<see cref="RevokedAccessToken.JwtId"/>: a jti or a family's entry id) that is committed in the database.</summary>
    public void Remember(string entryId, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        var (entries, key) = RevokedAccessToken.FamilyKeyOf(entryId) is { } family ? (_families, family) : (_tokens, entryId);
        if (Count >= MaxEntries && !entries.ContainsKey(key))
        {
            // Dropping it would make memory wrong; stop answering from it instead.
            _overflowed = true;
            return;
        }

        entries.AddOrUpdate(key, expires, (_, known) => Math.Max(known, expires));
    }

    /// <summary>The revocations a unit of work has just committed on this replica: known here at once, before the response.</summary>
    public void RememberCommitted(IEnumerable<IDomainEvent> committed)
    {
        foreach (var domainEvent in committed)
        {
            if (domainEvent is AccessTokenRevoked revoked)
            {
                Remember(revoked.JwtId, revoked.ExpiresAt);
            }
        }
    }

    /// <summary>Starts a load: until <see cref="CompleteLoad"/>, the database answers.</summary>
    public void BeginLoad()
    {
        _loaded = false;
        _overflowed = false;
    }

    /// <summary>The load is complete; memory answers from now on unless it overflowed meanwhile.</summary>
    public void CompleteLoad()
    {
        _loaded = true;
        Interlocked.Increment(ref _loads);
    }

    /// <summary>How many loads completed since the start (the first, and one after each lost connection or overflow).</summary>
    public int Loads => Volatile.Read(ref _loads);

    /// <summary>The source of new entries is lost (the listening connection dropped): the database answers until a reload.</summary>
    public void MarkStale() => _loaded = false;

    /// <summary>Drops entries whose tokens expired (with a minute's grace); returns how many.</summary>
    public int Purge()
    {
        var cutoff = (clock.GetUtcNow() - ExpiryGrace).ToUnixTimeSeconds();
        return Purge(_tokens, cutoff) + Purge(_families, cutoff);
    }

    private static int Purge(ConcurrentDictionary<string, long> entries, long cutoff)
    {
        var removed = 0;
        foreach (var (key, expires) in entries)
        {
            if (expires < cutoff && entries.TryRemove(new KeyValuePair<string, long>(key, expires)))
            {
                removed++;
            }
        }

        return removed;
    }
}
