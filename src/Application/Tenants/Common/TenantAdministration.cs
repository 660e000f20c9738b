using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Tenants;

namespace AuthService.Application.Tenants.Common;

/// <summary>
/// Opens a tenant for a tenant admin API request: the tenant (404 when unknown) and the caller as the domain sees them.
/// A person is admitted to the route by the authorization policy already; their membership is read again here, in the
/// request's own unit of work, so that a role removed a moment ago is not used for the owner rules (ASVS 5.0 8.3.1: the
/// check is made where the change is made).
/// </summary>
public sealed class TenantAdministration(ITenantRepository tenants, ITenantMembershipRepository memberships, ITenantInvitationRepository invitations)
{
    public const string TenantAdminScope = Domain.Clients.ScopeRules.TenantAdmin;

    public async Task<(Tenant Tenant, TenantActor Actor)> OpenAsync(Guid tenantId, TenantCaller caller, CancellationToken cancellationToken)
    {
        var tenant = await tenants.FindAsync(tenantId, cancellationToken) ?? throw new NotFoundException("Tenant", tenantId.ToString());
        if (caller.IsPlatform)
        {
            return (tenant, TenantActor.Platform);
        }

        var own = await memberships.FindAsync(tenantId, caller.UserId!.Value, cancellationToken);
        if (own is not { ManagesTenant: true })
        {
            throw new ForbiddenOperationException("Only the tenant's owners and admins manage it.");
        }

        return (tenant, TenantActor.Member(own.UserId, own.Roles));
    }

    /// <summary>
    /// A suspended tenant admits nobody new: an invitation is neither created nor re-sent for it (409, the tenant's state, not
    /// the request, is what is wrong; the platform reactivates it first). Its links are refused at the page as well.
    /// </summary>
    public static void RequireActive(Tenant tenant)
    {
        if (tenant.Status == TenantStatus.Suspended)
        {
            throw new StateConflictException("The tenant is suspended: no invitation is sent for it until it is active again.");
        }
    }

    /// <summary>
    /// An invitation of <paramref name="tenant"/> that is neither accepted nor withdrawn (it may have expired: a re-send
    /// renews it): 404 when unknown in this tenant, 412 for a stale <c>If-Match</c>, 409 once accepted or withdrawn.
    /// </summary>
    public async Task<TenantInvitation> FindPendingInvitationAsync(Tenant tenant, Guid invitationId, int? expectedVersion, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var invitation = await invitations.FindAsync(tenant.Id, invitationId, cancellationToken)
            ?? throw new NotFoundException("Tenant invitation", invitationId.ToString());
        Concurrency.Check(invitation.Version, expectedVersion);
        return invitation.AcceptedAt is null && invitation.WithdrawnAt is null ? invitation
            : throw new StateConflictException($"The invitation was {invitation.StateAt(now)} already.");
    }

    /// <summary>The id after which a page of a tenant's members or invitations starts (the cursor's key is a GUID).</summary>
    public static Guid? AfterId(Application.Common.Paging.PageRequest page) =>
        page.After is null ? null : Guid.TryParse(page.After, out var id) ? id : throw RequestValidationException.For("cursor", "cursor is not valid.");
}
