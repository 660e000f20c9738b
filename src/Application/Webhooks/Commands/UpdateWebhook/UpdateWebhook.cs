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
public sealed record UpdateWebhook(Guid Id, WebhookMetadata? Metadata, int? ExpectedVersion, WebhookTenantScope? Tenant = null) : IRequest<WebhookResult>;

public sealed class UpdateWebhookHandler(WebhookScoping scoping, IWebhookUrlPolicy urls, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<UpdateWebhook, WebhookResult>
{
    public async Task<WebhookResult> Handle(UpdateWebhook request, CancellationToken cancellationToken)
    {
        var metadata = request.Metadata ?? throw RequestValidationException.For("body", "A JSON object is required.");
        var (subscription, tenant) = await scoping.FindAsync(request.Id, request.Tenant, cancellationToken);
        var settings = metadata.ToSettings(urls, tenant);
        Concurrency.Check(subscription.Version, request.ExpectedVersion);
        if (subscription.Update(settings, clock.GetUtcNow()))
        {
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return new WebhookResult(WebhookResponse.From(subscription), subscription.Version);
    }
}
