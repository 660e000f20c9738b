using AuthService.Application.Common.Exceptions;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Commands.CreateWebhook;

/// <summary>Creates a subscription with a server-generated secret, answered this once (docs/adr/0039 "Subscriptions").</summary>
public sealed record CreateWebhook(WebhookMetadata? Metadata) : IRequest<CreatedWebhookResult>;

/// <summary>The created subscription, its secret and version.</summary>
public sealed record CreatedWebhookResult(CreatedWebhookResponse Created, int Version);

public sealed class CreateWebhookHandler(IWebhookSubscriptionRepository subscriptions, IWebhookSecrets secrets, IWebhookUrlPolicy urls, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<CreateWebhook, CreatedWebhookResult>
{
    public async Task<CreatedWebhookResult> Handle(CreateWebhook request, CancellationToken cancellationToken)
    {
        var settings = (request.Metadata ?? throw RequestValidationException.For("body", "A JSON object is required.")).ToSettings(urls);
        var id = Guid.CreateVersion7();
        var secret = secrets.Generate();
        var subscription = WebhookSubscription.Create(id, settings, secrets.Protect(id, secret), clock.GetUtcNow());
        subscriptions.Add(subscription);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new CreatedWebhookResult(new CreatedWebhookResponse(WebhookResponse.From(subscription), secret), subscription.Version);
    }
}
