using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients;
using AuthService.Domain.LogoutNotifications;
using AuthService.Domain.Sessions;

namespace AuthService.Application.Logout;

/// <summary>
/// Writes the back-channel logout notifications of an ended session into the outbox (OpenID Connect Back-Channel
/// Logout 1.0 §2.5): one row per client that got a code in the session and registered a <c>backchannel_logout_uri</c>.
/// Nothing is saved here: the caller saves the rows with the change that ended the session, so either both are
/// stored or neither is.
/// </summary>
public sealed class LogoutPropagation(
    IClientRepository clients,
    IUserSessionRepository sessions,
    ILogoutNotificationRepository notifications,
    IIssuerProvider issuer)
{
    public const string ReasonLogout = "logout";
    public const string ReasonAdmin = "admin";
    public const string ReasonUserDisabled = "user_disabled";
    public const string ReasonUserDeleted = "user_deleted";
    public const string ReasonPasswordChanged = "password_changed";
    public const string ReasonReplaced = "replaced_by_sign_in";

    /// <summary>Queues a notification to each client of <paramref name="session"/> that asked for one.</summary>
    public async Task EnqueueAsync(UserSession session, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var clientId in session.ClientIds)
        {
            var client = await clients.FindByClientIdAsync(clientId, cancellationToken);
            if (client is { Enabled: true, BackchannelLogoutUri: { } uri })
            {
                notifications.Add(LogoutNotification.Create(Guid.NewGuid(), client.ClientId, session.Id, session.UserId.ToString(), uri, reason, now));
            }
        }
    }

    /// <summary>
    /// The front-channel logout URLs of <paramref name="session"/>'s clients (OpenID Connect Front-Channel Logout 1.0 §2),
    /// for the logout page to frame; <c>sid</c> is the session id that ID tokens of the session carry.
    /// </summary>
    public async Task<IReadOnlyList<string>> FrontchannelLogoutUrlsAsync(UserSession session, CancellationToken cancellationToken)
    {
        var urls = new List<string>();
        foreach (var clientId in session.ClientIds)
        {
            if ((await clients.FindByClientIdAsync(clientId, cancellationToken))?.FrontchannelLogoutUrl(issuer.Issuer, session.Id.ToString()) is { } url)
            {
                urls.Add(url);
            }
        }

        return urls;
    }

    /// <summary>
    /// Queues notifications for every session of a user that was still active under <paramref name="securityStamp"/>
    /// (the stamp before the change that ends them): sessions an earlier stamp change already ended were notified then.
    /// </summary>
    public async Task EnqueueForUserAsync(Guid userId, string securityStamp, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var session in (await sessions.ListCurrentForUserAsync(userId, now, cancellationToken)).Where(s => s.IsActive(now, securityStamp)))
        {
            await EnqueueAsync(session, reason, now, cancellationToken);
        }
    }
}
