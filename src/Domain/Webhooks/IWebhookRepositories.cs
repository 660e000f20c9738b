using AuthService.Domain.Common;

namespace AuthService.Domain.Webhooks;

/// <summary>The webhook subscriptions.</summary>
public interface IWebhookSubscriptionRepository
{
    void Add(WebhookSubscription subscription);

    void Remove(WebhookSubscription subscription);

    Task<WebhookSubscription?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Ordered by id, after <paramref name="after"/>, at most <paramref name="limit"/>: every subscription, or with
    /// <paramref name="tenant"/> only those whose tenant filter is that slug.
    /// </summary>
    Task<IReadOnlyList<WebhookSubscription>> ListAsync(string? tenant, Guid? after, int limit, CancellationToken cancellationToken);

    /// <summary>Every subscription whose tenant filter is <paramref name="tenant"/>, tracked for a change (a deleted tenant's go with it).</summary>
    Task<IReadOnlyList<WebhookSubscription>> FilteredOnAsync(string tenant, CancellationToken cancellationToken);
}

/// <summary>
/// The outbox of webhook deliveries (<see cref="IOutbox{TMessage}"/>; due and claimable only when no earlier delivery of the
/// same subscription and subject is pending) and the admin API's view of it.
/// </summary>
public interface IWebhookDeliveryRepository : IOutbox<WebhookDelivery>
{
    /// <summary>
    /// Newest first by (<see cref="OutboxMessage.CreatedAt"/>, <see cref="WebhookDelivery.Ordinal"/>), of one subscription,
    /// optionally of one status, strictly before <paramref name="before"/>.
    /// </summary>
    Task<IReadOnlyList<WebhookDelivery>> ListAsync(Guid subscriptionId, OutboxStatus? status, (DateTimeOffset CreatedAt, int Ordinal)? before, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a delivery of <paramref name="subscriptionId"/> was accepted by its receiver since <paramref name="since"/>
    /// (the disabling rule asks it).
    /// </summary>
    Task<bool> AnyDeliveredSinceAsync(Guid subscriptionId, DateTimeOffset since, CancellationToken cancellationToken);
}
