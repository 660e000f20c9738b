namespace AuthService.Domain.Common;

/// <summary>
/// Commits the changes of a use case atomically. A concurrent change to the same aggregate makes
/// the commit fail with <see cref="ConcurrencyConflictException"/>; a duplicate of a unique value
/// with <see cref="UniquenessConflictException"/>.
/// </summary>
public interface IUnitOfWork
{
    Task SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> (which may save several times, to order its statements) in one
    /// transaction: other readers see all of it or none of it. Domain events are published after commit.
    /// </summary>
    Task ExecuteInTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken);
}
