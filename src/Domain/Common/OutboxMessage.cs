namespace AuthService.Domain.Common;

/// <summary>Where a message of a transactional outbox stands.</summary>
public enum OutboxStatus
{
    Pending = 0,
    Delivered = 1,
    Failed = 2,
}

/// <summary>
/// A row of a transactional outbox: written in the same save as the action that causes it, so an action that is stored
/// is a message that is stored, then delivered at least once by a worker. The worker leases the row (so two replicas never
/// send it at the same moment), attempts the delivery and records the outcome; a failure is retried with exponential
/// backoff until <see cref="DeliveryPolicy.MaxAttempts"/>, then the row is given up as <see cref="OutboxStatus.Failed"/>.
/// The back-channel logout notifications and the outgoing e-mail share this state and these transitions.
/// </summary>
public abstract class OutboxMessage : AggregateRoot
{
    public const int MaxErrorLength = 500;

    public Guid Id { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public OutboxStatus Status { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>Not before this instant is the next attempt made.</summary>
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>While in the future, one worker holds the row; no other may send it.</summary>
    public DateTimeOffset? LeaseUntil { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>The message, by <paramref name="id"/>, is due at once.</summary>
    protected void Enqueue(Guid id, DateTimeOffset now)
    {
        Guard.Against(id == Guid.Empty, "id", "A message needs an id.");
        Guard.RequireUtc(now, nameof(now));
        Id = id;
        CreatedAt = now;
        Status = OutboxStatus.Pending;
        NextAttemptAt = now;
    }

    /// <summary>The receiver accepted the message.</summary>
    public void MarkDelivered(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(Status != OutboxStatus.Pending, "status", "Only a pending message is delivered.");
        Attempts++;
        Status = OutboxStatus.Delivered;
        DeliveredAt = now;
        LastError = null;
        LeaseUntil = null;
        OnSettled();
    }

    /// <summary>
    /// An attempt failed: retried after <c>base · 2^(attempts-1)</c> (capped), or given up after the last attempt.
    /// The error is the receiver's answer or the transport failure, never a secret of the message.
    /// </summary>
    public void RecordFailure(string error, DeliveryPolicy policy, DateTimeOffset now) =>
        RecordFailure(error, Attempts + 1 >= policy.MaxAttempts ? null : policy.BackoffAfter(Attempts + 1), now);

    /// <summary>
    /// An attempt failed: retried after <paramref name="retryAfter"/>, or given up when it is null (an outbox whose
    /// schedule is not <see cref="DeliveryPolicy"/>'s doubling, e.g. the webhooks' fixed steps with jitter).
    /// </summary>
    public void RecordFailure(string error, TimeSpan? retryAfter, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(Status != OutboxStatus.Pending, "status", "Only a pending message is retried.");
        Attempts++;
        LastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        LeaseUntil = null;
        if (retryAfter is not { } delay)
        {
            Status = OutboxStatus.Failed;
            OnSettled();
            return;
        }

        NextAttemptAt = now + delay;
    }

    /// <summary>Called once the message is delivered or given up: a subclass drops what it no longer needs to keep.</summary>
    protected virtual void OnSettled()
    {
    }
}

/// <summary>The store of one kind of <see cref="OutboxMessage"/>, as its delivery worker uses it.</summary>
public interface IOutbox<TMessage>
    where TMessage : OutboxMessage
{
    void Add(TMessage message);

    /// <summary>The ids of up to <paramref name="batchSize"/> pending messages due at <paramref name="now"/> and not leased.</summary>
    Task<IReadOnlyList<Guid>> ListDueAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically leases a due message until <paramref name="leaseUntil"/>; false when another worker holds it or it is
    /// no longer due. One conditional UPDATE, so of two replicas racing for a row exactly one wins.
    /// </summary>
    Task<bool> TryClaimAsync(Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    Task<TMessage?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> messages written before <paramref name="cutoff"/> that are settled (delivered
    /// or given up), oldest first; never a pending one. Returns how many.
    /// </summary>
    Task<int> DeleteSettledAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}

/// <summary>How often and how patiently an outbox message is retried.</summary>
public sealed record DeliveryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>Exponential backoff: the delay after the <paramref name="attempts"/>-th failure.</summary>
    public TimeSpan BackoffAfter(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(BaseDelay.Ticks * factor, MaxDelay.Ticks));
        return delay;
    }
}
