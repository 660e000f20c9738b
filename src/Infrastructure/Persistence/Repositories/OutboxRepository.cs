using AuthService.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

/// <summary>The leasing queries every outbox shares (<see cref="IOutbox{TMessage}"/>), over the table of <typeparamref name="TMessage"/>.</summary>
internal abstract class OutboxRepository<TMessage>(AuthDbContext db) : IOutbox<TMessage>
    where TMessage : OutboxMessage
{
    protected DbSet<TMessage> Messages => db.Set<TMessage>();

    public void Add(TMessage message) => Messages.Add(message);

    public async Task<IReadOnlyList<Guid>> ListDueAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        await Claimable(now).AsNoTracking()
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
        await Claimable(now)
            .Where(n => n.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.LeaseUntil, leaseUntil).SetProperty(n => n.Version, n => n.Version + 1), cancellationToken) == 1;

    /// <summary>The rows a worker may claim at <paramref name="now"/>: pending, due, and not leased. An outbox may add conditions.</summary>
    protected virtual IQueryable<TMessage> Claimable(DateTimeOffset now) =>
        Messages.Where(n => n.Status == OutboxStatus.Pending && n.NextAttemptAt <= now && (n.LeaseUntil == null || n.LeaseUntil < now));

    public Task<TMessage?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Messages.SingleOrDefaultAsync(n => n.Id == id, cancellationToken);

    /// <summary>
    /// One bounded statement (a DELETE whose rows a subquery picks, ordered by created_at and limited to n) along the created_at index, so
    /// a large backlog is removed in short transactions that never lock much at once. The status condition is in the
    /// statement itself: a pending message is never deleted, whatever its age.
    /// </summary>
    public Task<int> DeleteSettledAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Messages
            .Where(n => (n.Status == OutboxStatus.Delivered || n.Status == OutboxStatus.Failed) && n.CreatedAt < cutoff)
            .OrderBy(n => n.CreatedAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
