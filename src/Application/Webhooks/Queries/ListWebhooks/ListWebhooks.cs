using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Queries.ListWebhooks;

/// <summary>Subscriptions ordered by id, paged by cursor like every admin list.</summary>
public sealed record ListWebhooks(string? Cursor = null, int? Limit = null) : IRequest<Page<WebhookResponse>>;

public sealed class ListWebhooksHandler(IWebhookSubscriptionRepository subscriptions, IPageCursors cursors) : IRequestHandler<ListWebhooks, Page<WebhookResponse>>
{
    public async Task<Page<WebhookResponse>> Handle(ListWebhooks request, CancellationToken cancellationToken)
    {
        var page = Paging.Read("webhooks", request.Cursor, request.Limit, cursors);
        var rows = await subscriptions.ListAsync(page.After is null ? null : Guid.Parse(page.After), page.Limit + 1, cancellationToken);
        return page.ToPage(rows, s => s.Id.ToString(), WebhookResponse.From, cursors);
    }
}
