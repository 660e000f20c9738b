using AuthService.Application.Webhooks.Common;
using MediatR;

namespace AuthService.Application.Webhooks.Queries.GetWebhook;

public sealed record GetWebhook(Guid Id, WebhookTenantScope? Tenant = null) : IRequest<WebhookResult>;

public sealed class GetWebhookHandler(WebhookScoping scoping) : IRequestHandler<GetWebhook, WebhookResult>
{
    public async Task<WebhookResult> Handle(GetWebhook request, CancellationToken cancellationToken)
    {
        var (subscription, _) = await scoping.FindAsync(request.Id, request.Tenant, cancellationToken);
        return new WebhookResult(WebhookResponse.From(subscription), subscription.Version);
    }
}
