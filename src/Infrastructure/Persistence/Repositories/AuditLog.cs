using System.Runtime.CompilerServices;
using AuthService.Domain.Audit;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

/// <summary>Reads the audit log. Writing happens only through the unit of work (see PendingAuditTrail).</summary>
internal sealed class AuditLog(AuthDbContext db) : IAuditLog
{
    private const int ExportBatch = 500;

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditFilter filter, long? beforeId, int take, CancellationToken cancellationToken)
    {
        var query = Filtered(filter);
        if (beforeId is { } before)
        {
            query = query.Where(e => e.Id < before);
        }

        return await query.OrderByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    public async IAsyncEnumerable<AuditEntry> StreamAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Keyset batches instead of one long-running query: memory stays flat and no transaction stays open.
        long after = 0;
        while (true)
        {
            var batch = await Filtered(filter).Where(e => e.Id > after).OrderBy(e => e.Id).Take(ExportBatch).ToListAsync(cancellationToken);
            foreach (var entry in batch)
            {
                yield return entry;
            }

            if (batch.Count < ExportBatch)
            {
                yield break;
            }

            after = batch[^1].Id;
        }
    }

    private IQueryable<AuditEntry> Filtered(AuditFilter filter)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (filter.From is { } from)
        {
            query = query.Where(e => e.OccurredAt >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.OccurredAt < to);
        }

        if (filter.EventType is { } type)
        {
            query = query.Where(e => e.EventType == type);
        }

        if (filter.ActorId is { } actor)
        {
            query = query.Where(e => e.ActorId == actor);
        }

        if (filter.SubjectId is { } subject)
        {
            query = query.Where(e => e.SubjectId == subject);
        }

        if (filter.ClientId is { } client)
        {
            query = query.Where(e => e.ClientId == client);
        }

        return query;
    }
}
