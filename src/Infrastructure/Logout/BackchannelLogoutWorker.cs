using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.LogoutNotifications;
using AuthService.Infrastructure.Security.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Logout;

/// <summary>
/// Delivers the outbox of back-channel logout notifications (OpenID Connect Back-Channel Logout 1.0 §2.5) on every
/// replica: each due row is first leased by one conditional UPDATE (so no two replicas send it at the same moment),
/// then its logout token is POSTed through the <see cref="HardenedFetcher"/> (no redirects, a timeout) and the outcome
/// saved. A crash between the lease and the save leaves the row pending: once the lease runs out, another attempt is
/// made (at least once; the RP treats a repeated logout as done, §2.8).
/// </summary>
internal sealed partial class BackchannelLogoutWorker(
    IServiceScopeFactory scopes,
    HardenedFetcher fetcher,
    IIdTokenIssuer tokens,
    IOptions<BackchannelLogoutOptions> options,
    TimeProvider clock,
    ILogger<BackchannelLogoutWorker> logger) : BackgroundService
{
    private const int BatchSize = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass waits one interval, so the start-up (migrations, signing keys) has run.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await DeliverDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, ex);
            }
        }
    }

    /// <summary>One pass: every notification due now, each claimed before it is sent.</summary>
    internal async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> due;
        using (var scope = scopes.CreateScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<ILogoutNotificationRepository>().ListDueAsync(clock.GetUtcNow(), BatchSize, cancellationToken);
        }

        foreach (var id in due)
        {
            await DeliverAsync(id, cancellationToken);
        }
    }

    private async Task DeliverAsync(Guid id, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var notifications = scope.ServiceProvider.GetRequiredService<ILogoutNotificationRepository>();
        var settings = options.Value;
        var now = clock.GetUtcNow();
        if (!await notifications.TryClaimAsync(id, now, now + settings.Lease, cancellationToken)
            || await notifications.FindAsync(id, cancellationToken) is not { } notification)
        {
            return;
        }

        var client = await scope.ServiceProvider.GetRequiredService<IClientRepository>().FindByClientIdAsync(notification.ClientId, cancellationToken);
        string? error;
        if (client is null)
        {
            error = "the client is no longer registered";
        }
        else
        {
            var token = tokens.IssueLogoutToken(new LogoutTokenDescriptor(
                notification.Subject, notification.SessionId.ToString(), client.ClientId, client.IdTokenSignedResponseAlg, clock.GetUtcNow(), Guid.NewGuid().ToString("N")));

            // Back-Channel Logout 1.0 §2.5: POST, application/x-www-form-urlencoded, one parameter logout_token.
            error = await fetcher.PostFormAsync(new Uri(notification.BackchannelLogoutUri),
                new Dictionary<string, string>(StringComparer.Ordinal) { ["logout_token"] = token }, settings.RequestTimeout, cancellationToken);
        }

        now = clock.GetUtcNow();
        if (error is null)
        {
            notification.MarkDelivered(now);
            LogDelivered(logger, notification.Id, notification.ClientId);
        }
        else
        {
            notification.RecordFailure(error, settings.Policy, now);
            LogFailed(logger, notification.Id, notification.ClientId, notification.Attempts, error);
        }

        // A conflict means the lease ran out and another worker took the row over: its outcome stands.
        _ = await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Back-channel logout {NotificationId} delivered to client {ClientId}")]
    private static partial void LogDelivered(ILogger logger, Guid notificationId, string clientId);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "Back-channel logout {NotificationId} to client {ClientId} failed (attempt {Attempts}): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid notificationId, string clientId, int attempts, string error);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Error, Message = "Back-channel logout delivery pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
