using AuthService.Application.Common.Events;
using AuthService.Domain.Common;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AuthService.Infrastructure.Persistence;

/// <summary>
/// Commits the tracked changes in one transaction, reports store conflicts as a <see cref="SaveResult"/>, and
/// only then publishes the domain events (dispatching before the save is a known bug source) and adds the revocations it
/// committed to this replica's in-memory denylist (and forgets the accounts it changed). The audit
/// entries of the change are added to the same save.
/// </summary>
internal sealed class UnitOfWork(AuthDbContext db, IMediator mediator, Audit.PendingAuditTrail audit, Webhooks.WebhookFanOut webhooks, TimeProvider clock, Caching.AccessTokenDenylist denylist, Caching.AccountStates accounts) : IUnitOfWork
{
    private List<IDomainEvent>? _deferredEvents;

    public async Task<SaveResult> ExecuteInTransactionAsync(Func<CancellationToken, Task<SaveResult>> work, CancellationToken cancellationToken)
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
                var result = await work(cancellationToken);
                if (result != SaveResult.Saved)
                {
                    // Disposing the transaction rolls back what the work's earlier saves wrote.
                    db.ChangeTracker.Clear();
                    return result;
                }

                await transaction.CommitAsync(cancellationToken);
            }

            var committed = _deferredEvents;
            _deferredEvents = null;
            await PublishAsync(committed, cancellationToken);
            return SaveResult.Saved;
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

    public async Task<SaveResult> SaveChangesAsync(CancellationToken cancellationToken)
    {
        var aggregates = db.ChangeTracker.Entries<AggregateRoot>().Select(e => e.Entity).ToList();
        var events = aggregates.SelectMany(a => a.DomainEvents).ToList();

        // Audit rows go into the same save (and transaction) as the change they describe: written exactly
        // when it is committed, never lost after it, and no extra round trip.
        if (audit.EntriesFor(events) is { Count: > 0 } entries)
        {
            db.AuditEntries.AddRange(entries);

            // Webhook events are audit entries of a published type: an event exists exactly when its change is committed.
            await webhooks.AddDeliveriesAsync(entries, clock.GetUtcNow(), cancellationToken);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The unit of work failed as a whole; nothing of it may be retried by a later save, and a rerun
            // of the use case reads fresh state.
            db.ChangeTracker.Clear();
            return SaveResult.ConcurrencyConflict;
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex.InnerException))
        {
            db.ChangeTracker.Clear();
            return SaveResult.UniquenessConflict;
        }
        catch (DbUpdateException ex) when (IsForeignKeyViolation(ex.InnerException))
        {
            // A row this save deletes gained a dependent (or one it refers to went away) after it was read: another
            // writer won the race, as with a moved version (e.g. a provider deleted while a first sign-in links through it).
            db.ChangeTracker.Clear();
            return SaveResult.ConcurrencyConflict;
        }

        aggregates.ForEach(a => a.ClearDomainEvents());
        audit.Committed();
        if (_deferredEvents is not null)
        {
            // Inside a transaction: the facts are true only once it commits.
            _deferredEvents.AddRange(events);
            return SaveResult.Saved;
        }

        await PublishAsync(events, cancellationToken);
        return SaveResult.Saved;
    }

    /// <summary>Called once the events' changes are committed.</summary>
    private async Task PublishAsync(IReadOnlyList<IDomainEvent> events, CancellationToken cancellationToken)
    {
        // A revocation is in this replica's denylist copy, and a disabled account forgotten, before anything else runs, so before
        // the response (docs/adr/0040).
        denylist.RememberCommitted(events);
        accounts.ForgetCommitted(events);
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

    private static bool IsForeignKeyViolation(Exception? exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,

        // SQLITE_CONSTRAINT_FOREIGNKEY (787).
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 787,
        _ => false,
    };
}
