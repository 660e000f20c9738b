using AuthService.Application.Common.Exceptions;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Commands.UpdateWebhook;

/// <summary>
/// Replaces a subscription's settings (the secret is kept; it changes only by rotation). <c>enabled: true</c> is how a
/// subscription disabled for failing deliveries is enabled again.
/// </summary>
public sealed record UpdateWebhook(Guid Id, WebhookMetadata? Metadata, int? ExpectedVersion) : IRequest<WebhookResult>;

public sealed class UpdateWebhookHandler(IWebhookSubscriptionRepository subscriptions, IWebhookUrlPolicy urls, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<UpdateWebhook, WebhookResult>
{
    public async Task<WebhookResult> Handle(UpdateWebhook request, CancellationToken cancellationToken)
    {
        var settings = (request.Metadata ?? throw RequestValidationException.For("body", "A JSON object is required.")).ToSettings(urls);
        var subscription = await subscriptions.FindAsync(request.Id, cancellationToken) ?? throw new NotFoundException("Webhook", request.Id.ToString());
        Concurrency.Check(subscription.Version, request.ExpectedVersion);
        if (subscription.Update(settings, clock.GetUtcNow()))
        {
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return new WebhookResult(WebhookResponse.From(subscription), subscription.Version);
    }
}
