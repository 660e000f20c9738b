using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients;
using AuthService.Domain.LogoutNotifications;
using AuthService.Infrastructure.Outbox;
using AuthService.Infrastructure.Security.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Logout;

/// <summary>
/// Delivers the outbox of back-channel logout notifications (OpenID Connect Back-Channel Logout 1.0 §2.5) under the
/// shared <see cref="OutboxWorker{TMessage}"/> leasing and retries: the logout token is POSTed through the
/// <see cref="HardenedFetcher"/> (no redirects, a timeout). A repeated delivery is harmless: the RP treats a repeated
/// logout as done (§2.8).
/// </summary>
internal sealed partial class BackchannelLogoutWorker(
    IServiceScopeFactory scopes,
    HardenedFetcher fetcher,
    IIdTokenIssuer tokens,
    IOptions<BackchannelLogoutOptions> options,
    TimeProvider clock,
    ILogger<BackchannelLogoutWorker> logger) : OutboxWorker<LogoutNotification>(scopes, clock)
{
    protected override OutboxOptions Settings => options.Value;

    protected override async Task<string?> SendAsync(LogoutNotification notification, IServiceProvider services, CancellationToken cancellationToken)
    {
        var client = await services.GetRequiredService<IClientRepository>().FindByClientIdAsync(notification.ClientId, cancellationToken);
        if (client is null)
        {
            return "the client is no longer registered";
        }

        var token = tokens.IssueLogoutToken(new LogoutTokenDescriptor(
            notification.Subject, notification.SessionId.ToString(), client.ClientId, client.IdTokenSignedResponseAlg, Clock.GetUtcNow(), Guid.NewGuid().ToString("N")));

        // Back-Channel Logout 1.0 §2.5: POST, application/x-www-form-urlencoded, one parameter logout_token.
        return await fetcher.PostFormAsync(new Uri(notification.BackchannelLogoutUri),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["logout_token"] = token }, options.Value.RequestTimeout, cancellationToken);
    }

    protected override void LogDelivered(LogoutNotification notification) => LogDelivered(logger, notification.Id, notification.ClientId);

    protected override void LogFailed(LogoutNotification notification, string error) =>
        LogFailed(logger, notification.Id, notification.ClientId, notification.Attempts, error);

    protected override void LogPassFailed(Exception exception) => LogPassFailed(logger, exception);

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Back-channel logout {NotificationId} delivered to client {ClientId}")]
    private static partial void LogDelivered(ILogger logger, Guid notificationId, string clientId);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "Back-channel logout {NotificationId} to client {ClientId} failed (attempt {Attempts}): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid notificationId, string clientId, int attempts, string error);

    [LoggerMessage(EventId = 3403, Level = LogLevel.Error, Message = "Back-channel logout delivery pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
