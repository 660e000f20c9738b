using AuthService.Domain.Common;

namespace AuthService.Domain.LogoutNotifications;

public enum LogoutNotificationStatus
{
    Pending = 0,
    Delivered = 1,
    Failed = 2,
}

/// <summary>
/// One back-channel logout to deliver (OpenID Connect Back-Channel Logout 1.0 §2.5): the transactional outbox row
/// written in the same save as the end of the session, so a logout that is stored is a notification that is stored.
/// A worker delivers it at least once: it claims the row for a lease (so two replicas never send it at the same
/// moment), POSTs the logout token, and records the outcome; a failure is retried with exponential backoff until
/// <see cref="LogoutDeliveryPolicy.MaxAttempts"/>. The URI is the one registered when the session ended.
/// </summary>
public sealed class LogoutNotification : AggregateRoot
{
    public const int MaxErrorLength = 500;

    private LogoutNotification()
    {
        ClientId = null!;
        Subject = null!;
        BackchannelLogoutUri = null!;
    }

    public Guid Id { get; private set; }

    public string ClientId { get; private set; }

    /// <summary>The <c>sid</c> of the ended session.</summary>
    public Guid SessionId { get; private set; }

    /// <summary>The <c>sub</c> of the user, as in the client's ID tokens.</summary>
    public string Subject { get; private set; }

    public string BackchannelLogoutUri { get; private set; }

    /// <summary>Why the session ended: <c>logout</c>, <c>admin</c>, <c>user_disabled</c>, <c>user_deleted</c>, <c>password_changed</c>.</summary>
    public string Reason { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    public LogoutNotificationStatus Status { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>Not before this instant is the next attempt made.</summary>
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>While in the future, one worker holds the row; no other may send it.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    public static LogoutNotification Create(Guid id, string clientId, Guid sessionId, string subject, string backchannelLogoutUri, string reason, DateTimeOffset now)
    {
        Guard.Against(id == Guid.Empty, "id", "A notification needs an id.");
        Guard.Against(string.IsNullOrEmpty(clientId), "client_id", "A notification is for a client.");
        Guard.Against(sessionId == Guid.Empty, "sid", "A notification names the ended session.");
        Guard.Against(string.IsNullOrEmpty(subject), "sub", "A notification names the user.");
        Guard.Against(string.IsNullOrEmpty(backchannelLogoutUri), "backchannel_logout_uri", "A notification needs the client's backchannel_logout_uri.");
        Guard.Against(string.IsNullOrEmpty(reason), "reason", "A notification says why the session ended.");
        Guard.RequireUtc(now, nameof(now));
        return new LogoutNotification
        {
            Id = id,
            ClientId = clientId,
            SessionId = sessionId,
            Subject = subject,
            BackchannelLogoutUri = backchannelLogoutUri,
            Reason = reason,
            CreatedAt = now,
            Status = LogoutNotificationStatus.Pending,
            NextAttemptAt = now,
        };
    }

    /// <summary>Back-Channel Logout 1.0 §2.8: the RP answered 200 (or 204).</summary>
    public void MarkDelivered(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(Status != LogoutNotificationStatus.Pending, "status", "Only a pending notification is delivered.");
        Attempts++;
        Status = LogoutNotificationStatus.Delivered;
        DeliveredAt = now;
        LastError = null;
        LeaseUntil = null;
    }

    /// <summary>
    /// An attempt failed: retried after <c>base · 2^(attempts-1)</c> (capped), or given up after the last attempt.
    /// The error is the receiver's status or the transport failure, never the token.
    /// </summary>
    public void RecordFailure(string error, LogoutDeliveryPolicy policy, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(Status != LogoutNotificationStatus.Pending, "status", "Only a pending notification is retried.");
        Attempts++;
        LastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        LeaseUntil = null;
        if (Attempts >= policy.MaxAttempts)
        {
            Status = LogoutNotificationStatus.Failed;
            return;
        }

        NextAttemptAt = now + policy.BackoffAfter(Attempts);
    }
}

/// <summary>How often and how patiently a logout notification is retried.</summary>
public sealed record LogoutDeliveryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>Exponential backoff: the delay after the <paramref name="attempts"/>-th failure.</summary>
    public TimeSpan BackoffAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(BaseDelay.Ticks * factor, MaxDelay.Ticks));
        return delay;
    }
}
