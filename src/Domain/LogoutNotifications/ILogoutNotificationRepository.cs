namespace AuthService.Domain.LogoutNotifications;

public interface ILogoutNotificationRepository
{
    void Add(LogoutNotification notification);

    /// <summary>The ids of up to <paramref name="batchSize"/> pending notifications due at <paramref name="now"/> and not leased.</summary>
    Task<IReadOnlyList<Guid>> ListDueAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically leases a due notification until <paramref name="leaseUntil"/>; false when another worker holds it
    /// or it is no longer due. One conditional UPDATE, so of two replicas racing for a row exactly one wins.
    /// </summary>
    Task<bool> TryClaimAsync(Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    Task<LogoutNotification?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Newest first, optionally of one client.</summary>
    Task<IReadOnlyList<LogoutNotification>> ListAsync(string? clientId, int limit, CancellationToken cancellationToken);
}
