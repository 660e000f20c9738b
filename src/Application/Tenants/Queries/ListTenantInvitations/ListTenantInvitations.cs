using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Paging;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Tenants;
using MediatR;

namespace AuthService.Application.Tenants.Queries.ListTenantInvitations;

/// <summary>A tenant's invitations in every state (open, expired, accepted, withdrawn), ordered by id and paged by cursor; never a link.</summary>
public sealed record ListTenantInvitations(Guid TenantId, TenantCaller Caller, string? Cursor = null, int? Limit = null)
    : IRequest<Page<TenantInvitationResponse>>;

public sealed class ListTenantInvitationsHandler(
    TenantAdministration administration, ITenantInvitationRepository invitations, IPageCursors cursors, TimeProvider clock)
    : IRequestHandler<ListTenantInvitations, Page<TenantInvitationResponse>>
{
    public async Task<Page<TenantInvitationResponse>> Handle(ListTenantInvitations request, CancellationToken cancellationToken)
    {
        var page = Paging.Read("tenant-invitations:" + request.TenantId.ToString("N"), request.Cursor, request.Limit, cursors);
        var (tenant, _) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        var after = TenantAdministration.AfterId(page);
        var rows = await invitations.ListByTenantAsync(tenant.Id, after, page.Limit + 1, cancellationToken);
        var now = clock.GetUtcNow();
        return page.ToPage(rows, i => i.Id.ToString("D"), i => TenantInvitationResponse.From(i, now), cursors);
    }
}
