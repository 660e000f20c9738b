using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AuthService.Domain.Audit;
using AuthService.Domain.Webhooks;
using AuthService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Webhooks;

/// <summary>
/// Turns the audit entries of a save into webhook deliveries of the same save (docs/adr/0039 "Events" and "Fan-out"): each
/// entry whose type <see cref="WebhookEventTypes"/> maps is one event (one <c>webhook-id</c>), and each enabled subscription
/// it matches at that moment gets one delivery row. They commit, or roll back, with the change and its audit entry.
/// </summary>
internal sealed class WebhookFanOut(AuthDbContext db)
{
    public async Task AddDeliveriesAsync(IReadOnlyList<AuditEntry> entries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var events = entries
            .Select((entry, ordinal) => (Entry: entry, Ordinal: ordinal, Type: WebhookEventTypes.ForAudit(entry.EventType)))
            .Where(e => e.Type is not null)
            .ToList();
        if (events.Count == 0)
        {
            return;
        }

        // A subscription deleted in this very save (with its tenant) gets none of the save's events: its deliveries would
        // reference a row that is gone when the save commits.
        var deleted = db.ChangeTracker.Entries<WebhookSubscription>().Where(e => e.State == EntityState.Deleted).Select(e => e.Entity.Id).ToHashSet();
        var subscriptions = (await db.Set<WebhookSubscription>().AsNoTracking().Where(s => s.Enabled).ToListAsync(cancellationToken))
            .Where(s => !deleted.Contains(s.Id)).ToList();
        foreach (var (entry, ordinal, type) in events)
        {
            var details = Details(entry.Details);
            var tenant = details.TryGetValue("tenant", out var slug) ? slug : null;
            var matching = subscriptions.Where(s => s.Matches(type!, tenant)).ToList();
            if (matching.Count == 0)
            {
                continue;
            }

            var eventId = "msg_" + Guid.CreateVersion7().ToString("N");
            var payload = Payload(type!, entry, details);
            var subject = (entry.SubjectType ?? "none") + ":" + (entry.SubjectId ?? "none");
            foreach (var subscription in matching)
            {
                db.Set<WebhookDelivery>().Add(WebhookDelivery.Create(Guid.CreateVersion7(), subscription.Id, eventId, type!, subject, ordinal, payload, now));
            }
        }
    }

    /// <summary>
    /// Standard Webhooks "Payload structure": <c>type</c>, <c>timestamp</c> (RFC 3339, UTC) and <c>data</c>. The data are the
    /// audit entry's own: the subject's type and id, the client and the details, which hold ids and fixed words, never a
    /// secret (docs/adr/0013).
    /// </summary>
    private static string Payload(string type, AuditEntry entry, IReadOnlyDictionary<string, string?> details)
    {
        var data = new JsonObject
        {
            ["subject_type"] = entry.SubjectType,
            ["subject_id"] = entry.SubjectId,
        };
        if (entry.ClientId is not null)
        {
            data["client_id"] = entry.ClientId;
        }

        foreach (var (key, value) in details)
        {
            if (!data.ContainsKey(key))
            {
                data[key] = value;
            }
        }

        return new JsonObject
        {
            ["type"] = type,
            ["timestamp"] = entry.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["data"] = data,
        }.ToJsonString();
    }

    private static Dictionary<string, string?> Details(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string?>>(json) ?? [];
}
