namespace AuthService.Domain.Common;

/// <summary>
/// Commits the changes of a use case atomically. A concurrent change to the same aggregate, or a duplicate of
/// a unique value, is reported as a <see cref="SaveResult"/>, never thrown: losing a race is an outcome.
/// </summary>
public interface IUnitOfWork
{
    Task<SaveResult> SaveChangesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> (which may save several times, to order its statements) in one
    /// transaction: other readers see all of it or none of it. It commits only when <paramref name="work"/>
    /// returns <see cref="SaveResult.Saved"/>, and returns what <paramref name="work"/> returned (a conflict
    /// rolls everything back). Domain events are published after commit.
    /// </summary>
    Task<SaveResult> ExecuteInTransactionAsync(Func<CancellationToken, Task<SaveResult>> work, CancellationToken cancellationToken);
}
