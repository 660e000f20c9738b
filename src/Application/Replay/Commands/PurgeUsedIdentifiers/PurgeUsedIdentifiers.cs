using AuthService.Application.Common;
using AuthService.Application.Common.Interfaces;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Replay.Commands.PurgeUsedIdentifiers;

/// <summary>
/// Forgets one-time identifiers (assertion and DPoP proof <c>jti</c>s) past their expiry: a token carrying
/// one is refused for its age by then, so the entry has no further use. In batches.
/// </summary>
public sealed record PurgeUsedIdentifiers(int BatchSize = 1000) : IRequest<int>;

public sealed partial class PurgeUsedIdentifiersHandler(
    IReplayCache replayCache,
    TimeProvider clock,
    ILogger<PurgeUsedIdentifiersHandler> logger) : IRequestHandler<PurgeUsedIdentifiers, int>
{
    public async Task<int> Handle(PurgeUsedIdentifiers request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var total = await Batches.DeleteAllAsync(batch => replayCache.DeleteExpiredAsync(now, batch, cancellationToken), request.BatchSize, cancellationToken);
        if (total > 0)
        {
            LogPurged(logger, total);
        }

        return total;
    }

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Purged {Count} expired one-time identifiers")]
    private static partial void LogPurged(ILogger logger, int count);
}
