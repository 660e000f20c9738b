using AuthService.Application.Tenants.Common;
using MediatR;

namespace AuthService.Application.Tenants.Queries.CheckTenantInvitation;

/// <summary>The invitation page's GET: what it may offer, without using the link up (mail scanners fetch links, docs/adr/0033).</summary>
public sealed record CheckTenantInvitation(string? Token, string? SessionHandle) : IRequest<TenantInvitationOutcome>
{
    public override string ToString() => "CheckTenantInvitation { Token = (redacted) }";
}

public sealed class CheckTenantInvitationHandler(TenantInvitationLinks links, TimeProvider clock) : IRequestHandler<CheckTenantInvitation, TenantInvitationOutcome>
{
    public async Task<TenantInvitationOutcome> Handle(CheckTenantInvitation request, CancellationToken cancellationToken) =>
        (await links.ResolveAsync(request.Token, request.SessionHandle, clock.GetUtcNow(), cancellationToken))?.Outcome
        ?? new TenantInvitationOutcome.Refused(null);
}
