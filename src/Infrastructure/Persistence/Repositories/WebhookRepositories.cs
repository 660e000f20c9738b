using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class WebhookSubscriptionRepository(AuthDbContext db) : IWebhookSubscriptionRepository
{
    public void Add(WebhookSubscription subscription) => db.Set<WebhookSubscription>().Add(subscription);

    public void Remove(WebhookSubscription subscription) => db.Set<WebhookSubscription>().Remove(subscription);

    public Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<WebhookSubscription>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken);

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(string? tenant, Guid? after, int limit, CancellationToken cancellationToken)
    {
        // A handful of subscriptions per server (per tenant): ordered in memory (a Guid has no portable SQL ordering across the two providers).
        var all = await db.Set<WebhookSubscription>().AsNoTracking().Where(s => tenant == null || s.Tenant == tenant).ToListAsync(cancellationToken);
        return [.. all.OrderBy(s => s.Id).Where(s => after is null || s.Id.CompareTo(after.Value) > 0).Take(limit)];
    }

    public async Task<IReadOnlyList<WebhookSubscription>> FilteredOnAsync(string tenant, CancellationToken cancellationToken) =>
        await db.Set<WebhookSubscription>().Where(s => s.Tenant == tenant).ToListAsync(cancellationToken);
}

/// <summary>
/// The webhook outbox: the shared leasing queries with one more condition, the order rule of docs/adr/0039 ("In order per
/// subject"): a delivery is neither listed as due nor claimed while an earlier delivery (by created_at, then ordinal) of the
/// same subscription and subject is still pending, whether it waits for a retry or is being sent.
/// </summary>
internal sealed class WebhookDeliveryRepository(AuthDbContext db) : OutboxRepository<WebhookDelivery>(db), IWebhookDeliveryRepository
{
    protected override IQueryable<WebhookDelivery> Claimable(DateTimeOffset now) =>
        base.Claimable(now).Where(n => !Messages.Any(e => e.SubscriptionId == n.SubscriptionId && e.SubjectKey == n.SubjectKey && e.Status == OutboxStatus.Pending
            && (e.CreatedAt < n.CreatedAt || (e.CreatedAt == n.CreatedAt && e.Ordinal < n.Ordinal))));

    public async Task<IReadOnlyList<WebhookDelivery>> ListAsync(
        Guid subscriptionId, OutboxStatus? status, (DateTimeOffset CreatedAt, int Ordinal)? before, int limit, CancellationToken cancellationToken)
    {
        var query = Messages.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId && (status == null || d.Status == status));
        if (before is { } cursor)
        {
            query = query.Where(d => d.CreatedAt < cursor.CreatedAt || (d.CreatedAt == cursor.CreatedAt && d.Ordinal < cursor.Ordinal));
        }

        return await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Ordinal).Take(limit).ToListAsync(cancellationToken);
    }

    public Task<bool> AnyDeliveredSinceAsync(Guid subscriptionId, DateTimeOffset since, CancellationToken cancellationToken) =>
        Messages.AnyAsync(d => d.SubscriptionId == subscriptionId && d.Status == OutboxStatus.Delivered && d.DeliveredAt >= since, cancellationToken);
}
