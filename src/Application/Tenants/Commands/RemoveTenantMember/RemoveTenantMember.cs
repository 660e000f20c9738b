using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using MediatR;

namespace AuthService.Application.Tenants.Commands.RemoveTenantMember;

/// <summary>
/// Ends a membership. Removing an owner needs an owner (or the platform), and the last owner stays (400 naming <c>roles</c>).
/// A tenant administrator who removes their own membership loses the tenant admin API at the next request.
/// </summary>
public sealed record RemoveTenantMember(Guid TenantId, Guid UserId, int? ExpectedVersion, TenantCaller Caller) : IRequest<Unit>;

public sealed class RemoveTenantMemberHandler(
    TenantAdministration administration, ITenantMembershipRepository memberships, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RemoveTenantMember, Unit>
{
    public async Task<Unit> Handle(RemoveTenantMember request, CancellationToken cancellationToken)
    {
        var (tenant, actor) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        var membership = await memberships.FindAsync(tenant.Id, request.UserId, cancellationToken)
            ?? throw new NotFoundException("Tenant member", request.UserId.ToString());
        Concurrency.Check(membership.Version, request.ExpectedVersion);
        membership.Remove(tenant, actor, await memberships.CountOtherOwnersAsync(tenant.Id, membership.UserId, cancellationToken), clock.GetUtcNow());
        memberships.Remove(membership);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
