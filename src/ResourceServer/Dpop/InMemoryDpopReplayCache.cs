using System.Collections.Concurrent;

namespace AuthService.ResourceServer.Dpop;

/// <summary>
/// The default <see cref="IDpopReplayCache"/>: one dictionary in this process, atomic through
/// <see cref="ConcurrentDictionary{TKey,TValue}.TryAdd"/>. Entries are dropped once expired, in a sweep that runs
/// at most once per minute on the request path, so memory follows the number of proofs seen within their lifetime.
/// </summary>
internal sealed class InMemoryDpopReplayCache(TimeProvider clock) : IDpopReplayCache
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public int Count => _seen.Count;

    public ValueTask<bool> TryAddAsync(string proofId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        Sweep(now);

        // An expired entry for the same id cannot be a replay within the window any more; it may be replaced.
        if (_seen.TryGetValue(proofId, out var existing) && existing <= now)
        {
            _seen.TryRemove(new KeyValuePair<string, DateTimeOffset>(proofId, existing));
        }

        return ValueTask.FromResult(_seen.TryAdd(proofId, expiresAt));
    }

    private void Sweep(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var entry in _seen.Where(e => e.Value <= now))
        {
            _seen.TryRemove(entry);
        }
    }
}
