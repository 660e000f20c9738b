using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Email;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using MediatR;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tenants.Commands.ResendTenantInvitation;

/// <summary>
/// Sends an invitation again with a new link (also after it expired); the earlier link stops working in the same save, as
/// only the new token's hash is kept. An accepted or withdrawn invitation is a 409.
/// </summary>
public sealed record ResendTenantInvitation(Guid TenantId, Guid InvitationId, int? ExpectedVersion, TenantCaller Caller) : IRequest<TenantInvitationResult>;

public sealed class ResendTenantInvitationHandler(
    TenantAdministration administration, ITenantInvitationRepository invitations, EmailLinks links, IEmailDelivery delivery,
    IOptions<EmailOptions> options, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ResendTenantInvitation, TenantInvitationResult>
{
    public async Task<TenantInvitationResult> Handle(ResendTenantInvitation request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (tenant, _) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        var invitation = await invitations.FindAsync(tenant.Id, request.InvitationId, cancellationToken)
            ?? throw new NotFoundException("Tenant invitation", request.InvitationId.ToString());
        Concurrency.Check(invitation.Version, request.ExpectedVersion);
        if (invitation.AcceptedAt is not null || invitation.WithdrawnAt is not null)
        {
            throw new StateConflictException($"The invitation was {invitation.StateAt(now)}: there is nothing to send again.");
        }

        var token = OpaqueToken.New();
        invitation.Resend(tenant, OpaqueToken.HashOf(token), options.Value.TenantInvitationLifetime, now);
        var link = links.SendTenantInvitation(invitation, tenant, token, now);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new TenantInvitationResult(TenantInvitationResponse.From(invitation, now, delivery.SendsMail ? null : link), invitation.Version);
    }
}
