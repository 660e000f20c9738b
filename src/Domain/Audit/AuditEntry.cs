using AuthService.Domain.Common;

namespace AuthService.Domain.Audit;

/// <summary>
/// One security-relevant fact, appended in the same transaction as the change it describes, so an entry
/// exists exactly when the change was committed. Entries are never changed or deleted (the store refuses
/// UPDATE and DELETE on the table). They carry ids and fixed words, never a secret.
/// </summary>
public sealed class AuditEntry
{
    public const int MaxEventTypeLength = 64;
    public const int MaxIdLength = 200;
    public const int MaxDetailsLength = 4000;

    private AuditEntry()
    {
        EventType = null!;
        ActorType = null!;
        ActorId = null!;
    }

    /// <summary>Assigned by the store in insert order; the lists' cursor.</summary>
    public long Id { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>A fixed <c>resource.action</c> word, e.g. <c>user.sign_in_failed</c> or <c>client.secret_rotated</c>.</summary>
    public string EventType { get; private set; }

    /// <summary><c>admin_client</c>, <c>client</c>, <c>user</c> or <c>system</c>.</summary>
    public string ActorType { get; private set; }

    public string ActorId { get; private set; }

    /// <summary>The kind of the affected resource: <c>user</c>, <c>client</c>, <c>signing_key</c>, <c>consent</c>, <c>session</c>, ...</summary>
    public string? SubjectType { get; private set; }

    public string? SubjectId { get; private set; }

    /// <summary>The OAuth client concerned, when there is one (the client of a consent, a replayed code, a token family).</summary>
    public string? ClientId { get; private set; }

    /// <summary>The network address the request came from, when the fact was caused by a request.</summary>
    public string? SourceAddress { get; private set; }

    /// <summary>A small JSON object of further non-secret facts (a reason, a lockout end, a secret's id).</summary>
    public string? Details { get; private set; }

    public static AuditEntry Record(
        DateTimeOffset occurredAt,
        string eventType,
        string actorType,
        string actorId,
        string? subjectType,
        string? subjectId,
        string? clientId,
        string? sourceAddress,
        string? details)
    {
        Guard.RequireUtc(occurredAt, "occurred_at");
        Guard.Against(string.IsNullOrEmpty(eventType) || eventType.Length > MaxEventTypeLength, "event_type", "An audit entry needs an event type.");
        Guard.Against(string.IsNullOrEmpty(actorType) || string.IsNullOrEmpty(actorId), "actor", "An audit entry needs an actor.");
        Guard.Against(details is { Length: > MaxDetailsLength }, "details", "Audit details are limited in size.");
        return new AuditEntry
        {
            OccurredAt = occurredAt,
            EventType = eventType,
            ActorType = actorType,
            ActorId = Clip(actorId)!,
            SubjectType = subjectType,
            SubjectId = Clip(subjectId),
            ClientId = Clip(clientId),
            SourceAddress = sourceAddress is { Length: > 64 } ? sourceAddress[..64] : sourceAddress,
            Details = details,
        };
    }

    private static string? Clip(string? value) => value is { Length: > MaxIdLength } ? value[..MaxIdLength] : value;
}

/// <summary>What an audit query selects; every part is optional and they combine with AND.</summary>
public sealed record AuditFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? EventType = null,
    string? ActorId = null,
    string? SubjectId = null,
    string? ClientId = null);

public interface IAuditLog
{
    /// <summary>Entries matching <paramref name="filter"/>, newest first, starting below <paramref name="beforeId"/> when given.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditFilter filter, long? beforeId, int take, CancellationToken cancellationToken);

    /// <summary>Every entry matching <paramref name="filter"/>, oldest first, read in batches (for export).</summary>
    IAsyncEnumerable<AuditEntry> StreamAsync(AuditFilter filter, CancellationToken cancellationToken);
}
