using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using AuthService.Domain.Webhooks;
using MediatR;

namespace AuthService.Application.Tenants.Commands.DeleteTenant;

/// <summary>
/// Deletes a tenant without members (platform administrator only, docs/adr/0038); with members it is a 409: each member is
/// removed first, so every removal is its own audited fact that downstream services learn of, and a tenant is not lost by
/// one call. Its invitations go with it (their links stop working), and so do the webhook subscriptions filtered on its
/// slug (docs/adr/0039 "Tenant administrators' subscriptions"): a slug is free again once its tenant is gone, and a new
/// tenant that took it must not feed the old tenant's receivers. To stop a tenant at once, suspend it.
/// </summary>
public sealed record DeleteTenant(Guid TenantId, int? ExpectedVersion) : IRequest<Unit>;

public sealed class DeleteTenantHandler(
    ITenantRepository tenants, ITenantMembershipRepository memberships, IWebhookSubscriptionRepository webhooks, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<DeleteTenant, Unit>
{
    public async Task<Unit> Handle(DeleteTenant request, CancellationToken cancellationToken)
    {
        var tenant = await tenants.FindAsync(request.TenantId, cancellationToken) ?? throw new NotFoundException("Tenant", request.TenantId.ToString());
        Concurrency.Check(tenant.Version, request.ExpectedVersion);
        if (await memberships.AnyForTenantAsync(tenant.Id, cancellationToken))
        {
            throw new StateConflictException("The tenant has members: remove them first (or suspend the tenant).");
        }

        var now = clock.GetUtcNow();
        tenant.Delete(now);
        tenants.Remove(tenant);
        foreach (var subscription in await webhooks.FilteredOnAsync(tenant.Slug, cancellationToken))
        {
            subscription.MarkDeleted(now);
            webhooks.Remove(subscription);
        }

        // A member added meanwhile makes the save fail on the membership's foreign key (restrict), never an orphan.
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
