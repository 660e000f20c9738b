using AuthService.Application.Common.Events;
using AuthService.Domain.Common;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AuthService.Infrastructure.Persistence;

/// <summary>
/// Commits the tracked changes in one transaction, maps store conflicts to domain exceptions, and
/// only then publishes the domain events (dispatching before the save is a known bug source). The audit
/// entries of the change are added to the same save.
/// </summary>
internal sealed class UnitOfWork(AuthDbContext db, IMediator mediator, Audit.PendingAuditTrail audit) : IUnitOfWork
{
    private List<IDomainEvent>? _deferredEvents;

    public async Task ExecuteInTransactionAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (_deferredEvents is not null)
        {
            throw new InvalidOperationException("Transactions do not nest.");
        }

        _deferredEvents = [];
        try
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                await work(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            var committed = _deferredEvents;
            _deferredEvents = null;
            await PublishAsync(committed, cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
        finally
        {
            _deferredEvents = null;
        }
    }

    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        var aggregates = db.ChangeTracker.Entries<AggregateRoot>().Select(e => e.Entity).ToList();
        var events = aggregates.SelectMany(a => a.DomainEvents).ToList();

        // Audit rows go into the same save (and transaction) as the change they describe: written exactly
        // when it is committed, never lost after it, and no extra round trip.
        if (audit.EntriesFor(events) is { Count: > 0 } entries)
        {
            db.AuditEntries.AddRange(entries);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            db.ChangeTracker.Clear();
            throw new ConcurrencyConflictException("The aggregate was changed by another writer.", ex);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex.InnerException))
        {
            // The unit of work failed as a whole; nothing of it may be retried by a later save.
            db.ChangeTracker.Clear();
            throw new UniquenessConflictException("The change conflicts with a unique value already stored.", ex);
        }

        aggregates.ForEach(a => a.ClearDomainEvents());
        audit.Committed();
        if (_deferredEvents is not null)
        {
            // Inside a transaction: the facts are true only once it commits.
            _deferredEvents.AddRange(events);
            return;
        }

        await PublishAsync(events, cancellationToken);
    }

    private async Task PublishAsync(IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken)
    {
        foreach (var domainEvent in events)
        {
            var notification = (INotification)Activator.CreateInstance(
                typeof(DomainEventNotification<>).MakeGenericType(domainEvent.GetType()), domainEvent)!;
            await mediator.Publish(notification, cancellationToken);
        }
    }

    private static bool IsUniqueViolation(Exception? exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,

        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };
}
