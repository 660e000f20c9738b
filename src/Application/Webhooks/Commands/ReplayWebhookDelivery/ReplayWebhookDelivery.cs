using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Commands.ReplayWebhookDelivery;

/// <summary>
/// Queues a delivery again as a new delivery of the same event (same <c>webhook-id</c> and body, so a receiver that
/// already has it de-duplicates), due at once and behind any pending delivery of the same subject. Refused (409) while the
/// subscription is disabled: it would fail at once.
/// </summary>
public sealed record ReplayWebhookDelivery(Guid WebhookId, Guid DeliveryId, WebhookTenantScope? Tenant = null) : IRequest<WebhookDeliveryResponse>;

public sealed class ReplayWebhookDeliveryHandler(
    WebhookScoping scoping, IWebhookDeliveryRepository deliveries, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ReplayWebhookDelivery, WebhookDeliveryResponse>
{
    public async Task<WebhookDeliveryResponse> Handle(ReplayWebhookDelivery request, CancellationToken cancellationToken)
    {
        var (subscription, _) = await scoping.FindAsync(request.WebhookId, request.Tenant, cancellationToken);
        var original = await deliveries.FindAsync(request.DeliveryId, cancellationToken);
        if (original is null || original.SubscriptionId != subscription.Id)
        {
            throw new NotFoundException("Webhook delivery", request.DeliveryId.ToString());
        }

        if (!subscription.Enabled)
        {
            throw new StateConflictException("The webhook is disabled; enable it (PUT with enabled: true) before replaying a delivery.");
        }

        var replay = original.Replay(Guid.CreateVersion7(), clock.GetUtcNow());
        deliveries.Add(replay);
        audit.Record(new AuditRecord("webhook.delivery_replayed", AuditEvents.Webhook, subscription.Id.ToString(),
            Details: Details(original, replay, subscription.Tenant)));
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return WebhookDeliveryResponse.From(replay);
    }

    /// <summary>The replay's ids, and the subscription's tenant filter when it has one (as on the other <c>webhook.*</c> records).</summary>
    private static Dictionary<string, string?> Details(WebhookDelivery original, WebhookDelivery replay, string? tenant)
    {
        var details = new Dictionary<string, string?> { ["delivery_id"] = original.Id.ToString(), ["replay_id"] = replay.Id.ToString(), ["webhook_id"] = replay.EventId };
        if (tenant is not null)
        {
            details["tenant"] = tenant;
        }

        return details;
    }
}
