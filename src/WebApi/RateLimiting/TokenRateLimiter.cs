using System.Threading.RateLimiting;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using Microsoft.Extensions.Options;

namespace AuthService.WebApi.RateLimiting;

/// <summary>
/// The token endpoint's limiter: one token bucket per <see cref="TokenRatePartition"/>, from System.Threading.RateLimiting as
/// ASP.NET Core's rate-limiting middleware uses it. Not the middleware itself: it decides before the endpoint runs, when the
/// client has not yet authenticated, and a key taken from the unauthenticated <c>client_id</c> would let anyone spend another
/// client's budget. In memory, per replica (docs/adr/0043).
/// </summary>
public sealed class TokenRateLimiter : ITokenRateLimiter, IDisposable
{
    private readonly TokenRateLimitOptions _options;
    private readonly PartitionedRateLimiter<TokenRatePartition> _limiter;
    private readonly Func<TokenRatePartition, TokenBucketRateLimiterOptions> _bucketFor;

    public TokenRateLimiter(IOptions<RateLimitOptions> options)
    {
        _options = options.Value.Token;
        _bucketFor = BucketFor;

        // A client's own limit is part of the key, so an operator's change takes effect with the next request (a new
        // bucket); the old one is dropped by the partitioned limiter once idle. Idle buckets go after ten seconds, which
        // bounds the memory a spray of source addresses can take.
        _limiter = PartitionedRateLimiter.Create<TokenRatePartition, TokenRatePartition>(
            partition => RateLimitPartition.GetTokenBucketLimiter(partition, _bucketFor));
    }

    public TimeSpan? TryAcquire(TokenRatePartition partition)
    {
        using var lease = _limiter.AttemptAcquire(partition);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }

    /// <summary>The bucket of a partition: per second for a client (refilled continuously), per minute for an address.</summary>
    internal TokenBucketRateLimiterOptions BucketFor(TokenRatePartition partition)
    {
        if (partition.IsUnauthenticated)
        {
            return Bucket(_options.UnauthenticatedPermitsPerMinute, TimeSpan.FromMinutes(1), _options.UnauthenticatedPermitsPerMinute);
        }

        var perSecond = partition.PermitsPerSecond ?? _options.PermitsPerSecond;
        return Bucket(perSecond, TimeSpan.FromSeconds(1), (int)Math.Min(int.MaxValue, (long)perSecond * _options.BurstSeconds));
    }

    private static TokenBucketRateLimiterOptions Bucket(int tokensPerPeriod, TimeSpan period, int size) => new()
    {
        TokensPerPeriod = tokensPerPeriod,
        ReplenishmentPeriod = period,
        TokenLimit = size,
        QueueLimit = 0, // never hold a request: answer 429 at once
        AutoReplenishment = true,
    };

    public void Dispose() => _limiter.Dispose();
}
