using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Tenants.Commands.InviteToTenant;

/// <summary>
/// Invites an e-mail address into a tenant with roles (docs/adr/0038): the invitation and its message are saved together
/// (the outbox of docs/adr/0033). The link is in the answer only when this server sends no mail.
/// </summary>
public sealed record InviteToTenant(Guid TenantId, TenantInvitationBody? Body, TenantCaller Caller) : IRequest<TenantInvitationResult>;

public sealed class InviteToTenantValidator : AbstractValidator<InviteToTenant>
{
    public InviteToTenantValidator() =>
        RuleFor(x => x.Body).NotNull().OverridePropertyName("body").WithMessage("A JSON object with email and roles is required.");
}

public sealed class InviteToTenantHandler(
    TenantAdministration administration, ITenantInvitationRepository invitations, TenantInvitationMail mail, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<InviteToTenant, TenantInvitationResult>
{
    public async Task<TenantInvitationResult> Handle(InviteToTenant request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (tenant, actor) = await administration.OpenAsync(request.TenantId, request.Caller, cancellationToken);
        TenantAdministration.RequireActive(tenant);
        TenantInvitation? invitation = null;
        var link = mail.Send(tenant, tokenHash =>
            invitation = TenantInvitation.Create(Guid.NewGuid(), tenant, request.Body!.Email, request.Body.Roles, actor, tokenHash, mail.Lifetime, now), now);
        invitations.Add(invitation!);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new TenantInvitationResult(TenantInvitationResponse.From(invitation!, now, link), invitation!.Version);
    }
}
