using AuthService.Application.Common.Exceptions;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Queries.GetWebhook;

public sealed record GetWebhook(Guid Id) : IRequest<WebhookResult>;

public sealed class GetWebhookHandler(IWebhookSubscriptionRepository subscriptions) : IRequestHandler<GetWebhook, WebhookResult>
{
    public async Task<WebhookResult> Handle(GetWebhook request, CancellationToken cancellationToken)
    {
        var subscription = await subscriptions.FindAsync(request.Id, cancellationToken) ?? throw new NotFoundException("Webhook", request.Id.ToString());
        return new WebhookResult(WebhookResponse.From(subscription), subscription.Version);
    }
}
