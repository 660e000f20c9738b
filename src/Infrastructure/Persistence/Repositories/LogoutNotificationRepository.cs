using AuthService.Domain.LogoutNotifications;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class LogoutNotificationRepository(AuthDbContext db) : ILogoutNotificationRepository
{
    public void Add(LogoutNotification notification) => db.LogoutNotifications.Add(notification);

    public async Task<IReadOnlyList<Guid>> ListDueAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        await db.LogoutNotifications.AsNoTracking()
            .Where(n => n.Status == LogoutNotificationStatus.Pending && n.NextAttemptAt <= now && (n.LeaseUntil == null || n.LeaseUntil < now))
            .OrderBy(n => n.NextAttemptAt)
            .Take(batchSize)
            .Select(n => n.Id)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// One conditional UPDATE: PostgreSQL re-evaluates the condition on the row it locked (READ COMMITTED), SQLite has
    /// one writer, so when two replicas race for the row the second finds the lease taken and updates nothing. The
    /// version moves too, so a tracked copy read before the claim cannot be saved over it.
    /// </summary>
    public async Task<bool> TryClaimAsync(Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        await db.LogoutNotifications
            .Where(n => n.Id == id && n.Status == LogoutNotificationStatus.Pending && n.NextAttemptAt <= now && (n.LeaseUntil == null || n.LeaseUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.LeaseUntil, leaseUntil).SetProperty(n => n.Version, n => n.Version + 1), cancellationToken) == 1;

    public Task<LogoutNotification?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.LogoutNotifications.SingleOrDefaultAsync(n => n.Id == id, cancellationToken);

    public async Task<IReadOnlyList<LogoutNotification>> ListAsync(string? clientId, int limit, CancellationToken cancellationToken) =>
        await db.LogoutNotifications.AsNoTracking()
            .Where(n => clientId == null || n.ClientId == clientId)
            .OrderByDescending(n => n.CreatedAt)
            .ThenBy(n => n.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
}
