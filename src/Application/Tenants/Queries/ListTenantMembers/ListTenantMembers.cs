using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Tenants;
using MediatR;

namespace AuthService.Application.Tenants.Queries.ListTenantMembers;

/// <summary>A tenant's members ordered by user id, paged by a keyset cursor on the (tenant, user) index.</summary>
public sealed record ListTenantMembers(Guid TenantId, TenantCaller Caller, string? Cursor = null, int? Limit = null) : IRequest<Page<TenantMemberResponse>>;

public sealed class ListTenantMembersHandler(TenantAdministration administration, ITenantMembershipRepository memberships, IPageCursors cursors)
    : IRequestHandler<ListTenantMembers, Page<TenantMemberResponse>>
{
    public async Task<Page<TenantMemberResponse>> Handle(ListTenantMembers request, CancellationToken cancellationToken)
    {
        // The tenant is part of the list's name: a cursor of one tenant's members is a 400 at another's.
        var page = Paging.Read("tenant-members:" + request.TenantId.ToString("N"), request.Cursor, request.Limit, cursors);
        var (tenant, _) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        var after = TenantAdministration.AfterId(page);
        var rows = await memberships.ListByTenantAsync(tenant.Id, after, page.Limit + 1, cancellationToken);
        return page.ToPage(rows, m => m.UserId.ToString("D"), TenantMemberResponse.From, cursors);
    }
}
