using AuthService.Application.Common.Interfaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Every replica re-reads the key set every <c>Auth:KeyRingRefreshSeconds</c>, so a rotation or a
/// revocation made by another replica takes effect here within that bound. Cheap when nothing changed
/// (the ring compares a fingerprint). A failed read keeps the last good key set and is retried.
/// </summary>
internal sealed partial class SigningKeyRingRefresher(
    ISigningKeyRing keyRing,
    IOptions<AuthServerOptions> options,
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
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Refreshing the signing keys failed; the previous key set stays in use")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
