using AuthService.Application.Common.Security;

namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// The request-rate limit of the token endpoint (docs/adr/0043): one permit per token request from the budget that
/// <see cref="TokenRatePartition"/> names. Kept in the replica's memory, so each replica grants its own budget.
/// </summary>
public interface ITokenRateLimiter
{
    /// <summary>Takes a permit: null when the request may go on, else how long until the budget has one again.</summary>
    TimeSpan? TryAcquire(TokenRatePartition partition);
}
