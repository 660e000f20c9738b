using AuthService.Application.Common.Exceptions;
using AuthService.Application.Webhooks.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Webhooks.Commands.DeleteWebhook;

/// <summary>Deletes a subscription and its deliveries (pending ones are never sent).</summary>
public sealed record DeleteWebhook(Guid Id, int? ExpectedVersion, WebhookTenantScope? Tenant = null) : IRequest<Unit>;

public sealed class DeleteWebhookHandler(IWebhookSubscriptionRepository subscriptions, WebhookScoping scoping, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<DeleteWebhook, Unit>
{
    public async Task<Unit> Handle(DeleteWebhook request, CancellationToken cancellationToken)
    {
        var (subscription, _) = await scoping.FindAsync(request.Id, request.Tenant, cancellationToken);
        Concurrency.Check(subscription.Version, request.ExpectedVersion);
        subscription.MarkDeleted(clock.GetUtcNow());
        subscriptions.Remove(subscription);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
