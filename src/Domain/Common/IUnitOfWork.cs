namespace AuthService.Domain.Common;

/// <summary>
/// Commits the changes of a use case atomically. A concurrent change to the same aggregate makes
/// the commit fail with <see cref="ConcurrencyConflictException"/>; a duplicate of a unique value
/// with <see cref="UniquenessConflictException"/>.
/// </summary>
public interface IUnitOfWork
{
    Task SaveChangesAsync(CancellationToken cancellationToken);
}
