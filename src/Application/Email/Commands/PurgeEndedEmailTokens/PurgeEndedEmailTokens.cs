using AuthService.Application.Common;
using AuthService.Domain.Email;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Email.Commands.PurgeEndedEmailTokens;

/// <summary>
/// Deletes e-mail tokens a day after they expired, were used or were revoked. The day keeps the "already used" and
/// "expired" answers for a link clicked again soon after; later an unknown link gets the same 400 page ("not valid"),
/// which is all a dead link needs. In batches.
/// </summary>
public sealed record PurgeEndedEmailTokens(int BatchSize = 1000) : IRequest<int>;

public sealed partial class PurgeEndedEmailTokensHandler(IEmailTokenRepository tokens, TimeProvider clock, ILogger<PurgeEndedEmailTokensHandler> logger)
    : IRequestHandler<PurgeEndedEmailTokens, int>
{
    public static readonly TimeSpan Grace = TimeSpan.FromDays(1);

    public async Task<int> Handle(PurgeEndedEmailTokens request, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - Grace;
        var deleted = await Batches.DeleteAllAsync(batch => tokens.DeleteEndedAsync(cutoff, batch, cancellationToken), request.BatchSize, cancellationToken);
        if (deleted > 0)
        {
            LogPurged(logger, deleted);
        }

        return deleted;
    }

    [LoggerMessage(EventId = 3212, Level = LogLevel.Information, Message = "Purged {Count} ended e-mail tokens")]
    private static partial void LogPurged(ILogger logger, int count);
}
