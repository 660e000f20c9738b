using AuthService.Domain.Common;

namespace AuthService.Domain.LogoutNotifications;

/// <summary>
/// One back-channel logout to deliver (OpenID Connect Back-Channel Logout 1.0 §2.5): the transactional outbox row
/// written in the same save as the end of the session, so a logout that is stored is a notification that is stored.
/// A worker delivers it at least once: it claims the row for a lease (so two replicas never send it at the same
/// moment), POSTs the logout token, and records the outcome; a failure is retried with exponential backoff until
/// <see cref="DeliveryPolicy.MaxAttempts"/> (the shared <see cref="OutboxMessage"/> rules). The URI is the one registered when the session ended.
/// </summary>
public sealed class LogoutNotification : OutboxMessage
{
    private LogoutNotification()
    {
        ClientId = null!;
        Subject = null!;
        BackchannelLogoutUri = null!;
    }

    public string ClientId { get; private set; }

    /// <summary>The <c>sid</c> of the ended session.</summary>
    public Guid SessionId { get; private set; }

    /// <summary>The <c>sub</c> of the user, as in the client's ID tokens.</summary>
    public string Subject { get; private set; }

    public string BackchannelLogoutUri { get; private set; }

    /// <summary>Why the session ended: <c>logout</c>, <c>admin</c>, <c>user_disabled</c>, <c>user_deleted</c>, <c>password_changed</c>.</summary>
    public string Reason { get; private set; } = null!;

    public static LogoutNotification Create(Guid id, string clientId, Guid sessionId, string subject, string backchannelLogoutUri, string reason, DateTimeOffset now)
    {
        Guard.Against(string.IsNullOrEmpty(clientId), "client_id", "A notification is for a client.");
        Guard.Against(sessionId == Guid.Empty, "sid", "A notification names the ended session.");
        Guard.Against(string.IsNullOrEmpty(subject), "sub", "A notification names the user.");
        Guard.Against(string.IsNullOrEmpty(backchannelLogoutUri), "backchannel_logout_uri", "A notification needs the client's backchannel_logout_uri.");
        Guard.Against(string.IsNullOrEmpty(reason), "reason", "A notification says why the session ended.");
        Guard.RequireUtc(now, nameof(now));
        var notification = new LogoutNotification
        {
            ClientId = clientId,
            SessionId = sessionId,
            Subject = subject,
            BackchannelLogoutUri = backchannelLogoutUri,
            Reason = reason,
        };
        notification.Enqueue(id, now);
        return notification;
    }
}
