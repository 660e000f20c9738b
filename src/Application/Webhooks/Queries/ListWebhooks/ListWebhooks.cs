using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Queries.ListWebhooks;

/// <summary>
/// Subscriptions ordered by id, paged by cursor like every admin list: every one for the platform, only the tenant's own
/// (those whose tenant filter is its slug) through a tenant's routes.
/// </summary>
public sealed record ListWebhooks(string? Cursor = null, int? Limit = null, WebhookTenantScope? Tenant = null) : IRequest<Page<WebhookResponse>>;

public sealed class ListWebhooksHandler(IWebhookSubscriptionRepository subscriptions, WebhookScoping scoping, IPageCursors cursors)
    : IRequestHandler<ListWebhooks, Page<WebhookResponse>>
{
    public async Task<Page<WebhookResponse>> Handle(ListWebhooks request, CancellationToken cancellationToken)
    {
        // The tenant is part of the list's name: a cursor of one tenant's list is a 400 at another's or at the platform's.
        var page = Paging.Read(request.Tenant is null ? "webhooks" : "webhooks:" + request.Tenant.TenantId.ToString("N"), request.Cursor, request.Limit, cursors);
        var tenant = await scoping.TenantAsync(request.Tenant, cancellationToken);
        var rows = await subscriptions.ListAsync(tenant, page.After is null ? null : Guid.Parse(page.After), page.Limit + 1, cancellationToken);
        return page.ToPage(rows, s => s.Id.ToString(), WebhookResponse.From, cursors);
    }
}
