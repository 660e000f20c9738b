using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Tenants.Commands.ResendTenantInvitation;

/// <summary>
/// Sends an invitation again with a new link (also after it expired); the earlier link stops working in the same save, as
/// only the new token's hash is kept. An accepted or withdrawn invitation is a 409.
/// </summary>
public sealed record ResendTenantInvitation(Guid TenantId, Guid InvitationId, int? ExpectedVersion, TenantCaller Caller) : IRequest<TenantInvitationResult>;

public sealed class ResendTenantInvitationHandler(TenantAdministration administration, TenantInvitationMail mail, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ResendTenantInvitation, TenantInvitationResult>
{
    public async Task<TenantInvitationResult> Handle(ResendTenantInvitation request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (tenant, _) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        TenantAdministration.RequireActive(tenant);
        var invitation = await administration.FindPendingInvitationAsync(tenant, request.InvitationId, request.ExpectedVersion, now, cancellationToken);
        var link = mail.Send(tenant, tokenHash =>
        {
            invitation.Resend(tenant, tokenHash, mail.Lifetime, now);
            return invitation;
        }, now);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new TenantInvitationResult(TenantInvitationResponse.From(invitation, now, link), invitation.Version);
    }
}
