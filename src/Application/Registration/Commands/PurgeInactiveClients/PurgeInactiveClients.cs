using AuthService.Application.Clients.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Registration.Commands.PurgeInactiveClients;

/// <summary>
/// Deletes dynamically registered clients that obtained no token for <c>Auth:Registration:InactiveClientLifetimeDays</c>
/// (never when 0), with their grants, as an operator's deletion would. Static clients are never touched. In batches.
/// </summary>
public sealed record PurgeInactiveClients(int BatchSize = 100) : IRequest<int>;

public sealed partial class PurgeInactiveClientsHandler(
    IClientRepository clients, ClientRemoval removal, IOptions<RegistrationOptions> options, TimeProvider clock, ILogger<PurgeInactiveClientsHandler> logger)
    : IRequestHandler<PurgeInactiveClients, int>
{
    public const string RevocationReason = "client_inactive";

    public async Task<int> Handle(PurgeInactiveClients request, CancellationToken cancellationToken)
    {
        if (options.Value.InactiveClientLifetimeDays == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(options.Value.InactiveClientLifetimeDays);
        var deleted = 0;
        while (true)
        {
            var batch = await clients.ListInactiveDynamicAsync(cutoff, request.BatchSize, cancellationToken);
            var removed = 0;
            foreach (var client in batch)
            {
                // A client used or changed meanwhile loses nothing: the conflict leaves it in place.
                if (await removal.RemoveAsync(client, RevocationReason, now, cancellationToken) == SaveResult.Saved)
                {
                    removed++;
                }
            }

            deleted += removed;
            if (batch.Count < request.BatchSize || removed == 0)
            {
                break;
            }
        }

        if (deleted > 0)
        {
            LogPurged(logger, deleted, options.Value.InactiveClientLifetimeDays);
        }

        return deleted;
    }

    [LoggerMessage(EventId = 3210, Level = LogLevel.Information, Message = "Deleted {Count} dynamically registered clients unused for {Days} days")]
    private static partial void LogPurged(ILogger logger, int count, int days);
}
