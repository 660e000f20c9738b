using AuthService.Application.Audit;
using AuthService.Domain.Audit;
using AuthService.Domain.Common;

namespace AuthService.Infrastructure.Audit;

/// <summary>
/// The audit facts of one unit of work: those recorded explicitly and those implied by the domain events
/// being saved. <see cref="Persistence.UnitOfWork"/> turns them into rows of the same save, so an entry is
/// committed exactly when its change is.
/// </summary>
internal sealed class PendingAuditTrail(IAuditContext context, TimeProvider clock, Observability.AuthServiceMetrics metrics) : IAuditTrail
{
    private readonly List<AuditRecord> _recorded = [];

    /// <summary>The records of the save in progress, counted by the metrics once it succeeds (docs/adr/0042).</summary>
    private IReadOnlyList<AuditRecord> _saving = [];

    public void Record(AuditRecord record) => _recorded.Add(record);

    /// <summary>The entries for the explicit records and the audited events of this save.</summary>
    public IReadOnlyList<AuditEntry> EntriesFor(IEnumerable<IDomainEvent> events)
    {
        var records = _recorded.Concat(events.Select(AuditEvents.From).OfType<AuditRecord>()).ToList();
        _saving = records;
        if (records.Count == 0)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        return [.. records.Select(record =>
        {
            // The request's admin client is the actor of whatever it did; otherwise the fact names its own.
            var actor = context.Actor ?? record.Actor ?? AuditActor.System;
            return AuditEntry.Record(record.OccurredAt ?? now, record.EventType, actor.Type, actor.Id,
                record.SubjectType, record.SubjectId, record.ClientId, context.SourceAddress, record.DetailsJson);
        })];
    }

    /// <summary>Called after a successful save: the explicit records are now committed (or will be with the transaction).</summary>
    public void Committed()
    {
        _recorded.Clear();
        if (_saving.Count > 0)
        {
            metrics.Committed(_saving);
            _saving = [];
        }
    }
}
