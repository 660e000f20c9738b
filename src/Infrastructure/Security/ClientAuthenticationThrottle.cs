using System.Collections.Concurrent;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// Failed client authentications per (client id, source address; an IPv6 address by its /64, <see cref="AddressKey"/>). Keying on the address as well means an
/// attacker who knows a client id cannot lock that client out from its own hosts. In-process: with N
/// replicas the budget is N times larger (documented, docs/adr/0006).
/// </summary>
public sealed class ClientAuthenticationThrottle(IOptions<AuthServerOptions> options, TimeProvider clock) : IClientAuthenticationThrottle
{
    private readonly FailureCounter _failures = new(
        options.Value.ClientAuthenticationFailureLimit, TimeSpan.FromSeconds(options.Value.ClientAuthenticationFailureWindowSeconds), clock);

    public TimeSpan? RetryAfter(string clientId, string? remoteAddress) => _failures.RetryAfter(Key(clientId, remoteAddress));

    public void RecordFailure(string clientId, string? remoteAddress) => _failures.RecordFailure(Key(clientId, remoteAddress));

    private static string Key(string clientId, string? remoteAddress) => $"{AddressKey.For(remoteAddress)}\n{clientId}";
}

/// <summary>
/// Fixed-window counter of failures per key, bounded in memory: after <c>limit</c> failures within the
/// window, the key waits until the window ends.
/// </summary>
public sealed class FailureCounter(int limit, TimeSpan windowLength, TimeProvider clock)
{
    public const int MaxTrackedKeys = 100_000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _lastPruneTicks;
    private readonly int _limit = limit;
    private readonly TimeSpan _windowLength = windowLength;

    public TimeSpan? RetryAfter(string key)
    {
        if (!_windows.TryGetValue(key, out var window))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var endsAt = window.StartedAt + _windowLength;
        return window.Failures >= _limit && now < endsAt ? endsAt - now : null;
    }

    public void RecordFailure(string key)
    {
        var now = clock.GetUtcNow();
        if (_windows.Count >= MaxTrackedKeys && !_windows.ContainsKey(key))
        {
            // Full: prune at most once a second (a scan per failure would be a CPU sink under a spray
            // of random keys), and if still full, do not grow. Memory stays bounded; counting
            // of already-tracked pairs goes on.
            var last = Interlocked.Read(ref _lastPruneTicks);
            if (now.UtcTicks - last >= TimeSpan.TicksPerSecond && Interlocked.CompareExchange(ref _lastPruneTicks, now.UtcTicks, last) == last)
            {
                Prune(now);
            }

            if (_windows.Count >= MaxTrackedKeys)
            {
                return;
            }
        }

        _windows.AddOrUpdate(
            key,
            _ => new Window(now, 1),
            (_, current) => now >= current.StartedAt + _windowLength ? new Window(now, 1) : current with { Failures = current.Failures + 1 });
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            if (now >= window.StartedAt + _windowLength)
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private sealed record Window(DateTimeOffset StartedAt, int Failures);
}
