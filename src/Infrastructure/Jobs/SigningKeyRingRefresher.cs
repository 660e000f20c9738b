using AuthService.Application.Common.Interfaces;
using AuthService.Application.SigningKeys.Commands.EnsureSigningKeys;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Every replica re-reads the key set every <c>Auth:KeyRingRefreshSeconds</c>, so a rotation or a
/// revocation made by another replica takes effect here within that bound. Cheap when nothing changed
/// (the ring compares a fingerprint). When an algorithm is left without a signing key (its active key
/// was revoked), it sends <c>EnsureSigningKeys</c> at once instead of waiting for the rotation job, so
/// token issuance recovers within the same bound. A failed read keeps the last good key set.
/// </summary>
internal sealed partial class SigningKeyRingRefresher(
    ISigningKeyRing keyRing,
    IServiceScopeFactory scopes,
    IOptions<AuthServerOptions> options,
    Persistence.DatabaseOutage outage,
    ILogger<SigningKeyRingRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.KeyRingRefreshSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keyRing.ReloadAsync(stoppingToken);
                if (!keyRing.IsReady)
                {
                    LogMissingSigningKey(logger);
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new EnsureSigningKeys(), stoppingToken);
                }

                outage.Reachable();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // docs/adr/0041: an outage is announced once (the previous key set stays in use meanwhile).
                if (!outage.Report(ex, nameof(SigningKeyRingRefresher)))
                {
                    LogRefreshFailed(logger, ex);
                }
            }
        }
    }

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "An algorithm has no signing key (its key was revoked?); creating one now")]
    private static partial void LogMissingSigningKey(ILogger logger);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Refreshing the signing keys failed; the previous key set stays in use")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
