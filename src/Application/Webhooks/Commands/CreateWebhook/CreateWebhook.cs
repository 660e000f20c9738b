using AuthService.Application.Common.Exceptions;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Commands.CreateWebhook;

/// <summary>
/// Creates a subscription with a server-generated secret, answered this once (docs/adr/0039 "Subscriptions"). Through a
/// tenant's routes (<paramref name="Tenant"/>) its tenant filter is that tenant.
/// </summary>
public sealed record CreateWebhook(WebhookMetadata? Metadata, WebhookTenantScope? Tenant = null) : IRequest<CreatedWebhookResult>;

/// <summary>The created subscription, its secret and version.</summary>
public sealed record CreatedWebhookResult(CreatedWebhookResponse Created, int Version);

public sealed class CreateWebhookHandler(
    IWebhookSubscriptionRepository subscriptions, WebhookScoping scoping, IWebhookSecrets secrets, IWebhookUrlPolicy urls, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<CreateWebhook, CreatedWebhookResult>
{
    public async Task<CreatedWebhookResult> Handle(CreateWebhook request, CancellationToken cancellationToken)
    {
        var metadata = request.Metadata ?? throw RequestValidationException.For("body", "A JSON object is required.");
        var settings = metadata.ToSettings(urls, await scoping.TenantAsync(request.Tenant, cancellationToken));
        var id = Guid.CreateVersion7();
        var secret = secrets.Generate();
        var subscription = WebhookSubscription.Create(id, settings, secrets.Protect(id, secret), clock.GetUtcNow());
        subscriptions.Add(subscription);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new CreatedWebhookResult(new CreatedWebhookResponse(WebhookResponse.From(subscription), secret), subscription.Version);
    }
}
