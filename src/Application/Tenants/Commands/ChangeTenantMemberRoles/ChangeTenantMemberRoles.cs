using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Tenants.Commands.ChangeTenantMemberRoles;

/// <summary>
/// Replaces a member's roles. Only an owner (or the platform) grants or takes away <c>owner</c>, and the last owner keeps
/// it (400 naming <c>roles</c>). A change of owner also moves the tenant's version (<see cref="Tenant.OwnersChangedAt"/>), so
/// of two owners demoting each other at the same moment one save conflicts (409) and one owner remains.
/// </summary>
public sealed record ChangeTenantMemberRoles(Guid TenantId, Guid UserId, TenantMemberBody? Body, int? ExpectedVersion, TenantCaller Caller)
    : IRequest<TenantMemberResult>;

public sealed class ChangeTenantMemberRolesValidator : AbstractValidator<ChangeTenantMemberRoles>
{
    public ChangeTenantMemberRolesValidator() =>
        RuleFor(x => x.Body).NotNull().OverridePropertyName("body").WithMessage("A JSON object with roles is required.");
}

public sealed class ChangeTenantMemberRolesHandler(
    TenantAdministration administration, ITenantMembershipRepository memberships, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ChangeTenantMemberRoles, TenantMemberResult>
{
    public async Task<TenantMemberResult> Handle(ChangeTenantMemberRoles request, CancellationToken cancellationToken)
    {
        var body = request.Body!;
        if (body.UserId is { } named && named != request.UserId)
        {
            throw RequestValidationException.For("user_id", "user_id in the body must match the member of the path.");
        }

        var (tenant, actor) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        var membership = await memberships.FindAsync(tenant.Id, request.UserId, cancellationToken)
            ?? throw new NotFoundException("Tenant member", request.UserId.ToString());
        Concurrency.Check(membership.Version, request.ExpectedVersion);
        var otherOwners = await memberships.CountOtherOwnersAsync(tenant.Id, membership.UserId, cancellationToken);
        if (membership.ChangeRoles(tenant, body.Roles, actor, otherOwners, clock.GetUtcNow()))
        {
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        }

        return new TenantMemberResult(TenantMemberResponse.From(membership), membership.Version);
    }
}
