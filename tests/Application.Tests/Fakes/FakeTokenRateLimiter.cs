using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Records the partitions that spent a permit; a partition in <see cref="Exhausted"/> answers its wait.</summary>
internal sealed class FakeTokenRateLimiter : ITokenRateLimiter
{
    public Dictionary<TokenRatePartition, TimeSpan> Exhausted { get; } = [];

    public List<TokenRatePartition> Spent { get; } = [];

    public TimeSpan? TryAcquire(TokenRatePartition partition)
    {
        if (Exhausted.TryGetValue(partition, out var wait))
        {
            return wait;
        }

        Spent.Add(partition);
        return null;
    }
}
