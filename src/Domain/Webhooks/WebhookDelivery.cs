using AuthService.Domain.Common;

namespace AuthService.Domain.Webhooks;

/// <summary>
/// One attempt at a delivery, as the admin API shows it: when, how long, and the receiver's status or the class of the
/// transport failure (<c>timeout</c>, <c>connection</c>, <c>refused_address</c>, ...), with at most a short, sanitized
/// excerpt of the answer.
/// </summary>
public sealed record WebhookAttempt(DateTimeOffset At, int? StatusCode, string? Error, long DurationMs, string? Excerpt);

/// <summary>
/// One event to one subscription (docs/adr/0039): the transactional outbox row written in the same save as the change
/// whose audit record is the event, so a committed change is a delivery that is stored. <see cref="EventId"/> is the
/// Standard Webhooks <c>webhook-id</c>: the same on every attempt and on a replay, so receivers can de-duplicate.
/// Deliveries of one (subscription, <see cref="SubjectKey"/>) are attempted in (<see cref="OutboxMessage.CreatedAt"/>,
/// <see cref="Ordinal"/>) order: none while an earlier one is still pending.
/// </summary>
public sealed class WebhookDelivery : OutboxMessage
{
    public const int MaxEventIdLength = 64;
    public const int MaxSubjectKeyLength = 300;

    /// <summary>Attempts kept for the admin API; the oldest go first (a delivery has at most a few dozen).</summary>
    public const int MaxLoggedAttempts = 30;

    public const int MaxExcerptLength = 200;

    private List<WebhookAttempt> _attemptLog = [];

    private WebhookDelivery()
    {
        EventId = null!;
        EventType = null!;
        SubjectKey = null!;
        Payload = null!;
    }

    public Guid SubscriptionId { get; private set; }

    /// <summary>The <c>webhook-id</c> header.</summary>
    public string EventId { get; private set; }

    public string EventType { get; private set; }

    /// <summary>What the ordering is per: the audit record's subject, <c>type:id</c> (e.g. <c>user:7c9e...</c>).</summary>
    public string SubjectKey { get; private set; }

    /// <summary>The position of the event among those of its save (several events of one save share the timestamp).</summary>
    public int Ordinal { get; private set; }

    /// <summary>The JSON body POSTed, exactly as signed.</summary>
    public string Payload { get; private set; }

    /// <summary>The delivery this one re-sends (an administrator's replay); null for the original.</summary>
    public Guid? ReplayOf { get; private set; }

    public IReadOnlyList<WebhookAttempt> AttemptLog => _attemptLog;

    public static WebhookDelivery Create(Guid id, Guid subscriptionId, string eventId, string eventType, string subjectKey, int ordinal, string payload, DateTimeOffset now) =>
        Create(id, subscriptionId, eventId, eventType, subjectKey, ordinal, payload, replayOf: null, now);

    /// <summary>A new delivery of the same event (same <c>webhook-id</c> and body) to the same subscription, due at once.</summary>
    public WebhookDelivery Replay(Guid id, DateTimeOffset now) =>
        Create(id, SubscriptionId, EventId, EventType, SubjectKey, Ordinal, Payload, Id, now);

    /// <summary>Logs one attempt (before <see cref="OutboxMessage.MarkDelivered"/> or <see cref="OutboxMessage.RecordFailure(string, TimeSpan?, DateTimeOffset)"/>).</summary>
    public void LogAttempt(WebhookAttempt attempt)
    {
        Guard.RequireUtc(attempt.At, "at");
        var excerpt = attempt.Excerpt is { Length: > MaxExcerptLength } text ? text[..MaxExcerptLength] : attempt.Excerpt;
        var error = attempt.Error is { Length: > MaxErrorLength } e ? e[..MaxErrorLength] : attempt.Error;
        _attemptLog = [.. _attemptLog.Skip(Math.Max(0, _attemptLog.Count - MaxLoggedAttempts + 1)), attempt with { Excerpt = excerpt, Error = error }];
    }

    private static WebhookDelivery Create(Guid id, Guid subscriptionId, string eventId, string eventType, string subjectKey, int ordinal, string payload, Guid? replayOf, DateTimeOffset now)
    {
        Guard.Against(subscriptionId == Guid.Empty, "subscription_id", "A delivery is for a subscription.");
        Guard.Against(string.IsNullOrEmpty(eventId) || eventId.Length > MaxEventIdLength, "webhook_id", "A delivery needs an event id.");
        Guard.Against(!WebhookEventTypes.All.Contains(eventType), "type", "A delivery carries a known event type.");
        Guard.Against(string.IsNullOrEmpty(subjectKey) || subjectKey.Length > MaxSubjectKeyLength, "subject", "A delivery names its subject.");
        Guard.Against(string.IsNullOrEmpty(payload), "payload", "A delivery has a body.");
        var delivery = new WebhookDelivery
        {
            SubscriptionId = subscriptionId,
            EventId = eventId,
            EventType = eventType,
            SubjectKey = subjectKey,
            Ordinal = ordinal,
            Payload = payload,
            ReplayOf = replayOf,
        };
        delivery.Enqueue(id, now);
        return delivery;
    }
}
