using AuthService.Application.Common;
using AuthService.Domain.AccessTokens;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Revocation.Commands.PurgeExpiredRevocations;

/// <summary>
/// Deletes denylist entries whose token has expired: an expired token is refused anyway, so the entry
/// has no further use. In batches, so a large backlog never holds long locks.
/// </summary>
public sealed record PurgeExpiredRevocations(int BatchSize = 1000) : IRequest<int>;

public sealed partial class PurgeExpiredRevocationsHandler(
    IRevokedAccessTokenRepository revocations,
    TimeProvider clock,
    ILogger<PurgeExpiredRevocationsHandler> logger) : IRequestHandler<PurgeExpiredRevocations, int>
{
    public async Task<int> Handle(PurgeExpiredRevocations request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var total = await Batches.DeleteAllAsync(batch => revocations.DeleteExpiredAsync(now, batch, cancellationToken), request.BatchSize, cancellationToken);

        if (total > 0)
        {
            LogPurged(logger, total);
        }

        return total;
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Purged {Count} expired access-token revocations")]
    private static partial void LogPurged(ILogger logger, int count);
}
