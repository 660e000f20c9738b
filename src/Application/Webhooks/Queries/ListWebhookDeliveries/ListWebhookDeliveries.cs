using System.Globalization;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Queries.ListWebhookDeliveries;

/// <summary>A subscription's deliveries, newest first, optionally of one status (<c>pending</c>, <c>delivered</c>, <c>failed</c>), each with its attempts.</summary>
public sealed record ListWebhookDeliveries(Guid WebhookId, string? Status, string? Cursor = null, int? Limit = null, WebhookTenantScope? Tenant = null)
    : IRequest<Page<WebhookDeliveryResponse>>;

public sealed class ListWebhookDeliveriesHandler(WebhookScoping scoping, IWebhookDeliveryRepository deliveries, IPageCursors cursors)
    : IRequestHandler<ListWebhookDeliveries, Page<WebhookDeliveryResponse>>
{
    public async Task<Page<WebhookDeliveryResponse>> Handle(ListWebhookDeliveries request, CancellationToken cancellationToken)
    {
        OutboxStatus? status = request.Status switch
        {
            null => null,
            "pending" => OutboxStatus.Pending,
            "delivered" => OutboxStatus.Delivered,
            "failed" => OutboxStatus.Failed,
            _ => throw RequestValidationException.For("status", "status must be pending, delivered or failed."),
        };

        // The cursor is only valid for this subscription's list: another's cursor is a 400.
        var page = Paging.Read("webhook-deliveries:" + request.WebhookId, request.Cursor, request.Limit, cursors);
        _ = await scoping.FindAsync(request.WebhookId, request.Tenant, cancellationToken);
        var rows = await deliveries.ListAsync(request.WebhookId, status, Decode(page.After), page.Limit + 1, cancellationToken);
        return page.ToPage(rows, Encode, WebhookDeliveryResponse.From, cursors);
    }

    private static string Encode(WebhookDelivery d) =>
        d.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + ":" + d.Ordinal.ToString(CultureInfo.InvariantCulture);

    private static (DateTimeOffset, int)? Decode(string? key)
    {
        if (key is null)
        {
            return null;
        }

        var parts = key.Split(':');
        return (new DateTimeOffset(long.Parse(parts[0], CultureInfo.InvariantCulture), TimeSpan.Zero), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
