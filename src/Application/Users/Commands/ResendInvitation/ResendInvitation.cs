using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Email;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.ResendInvitation;

/// <summary>
/// An administrator sends an invitation again (<c>POST /admin/users/{id}/invitation</c>): a new link for 7 days, and every
/// earlier invitation link of the user that could still be used revoked, so only the newest works.
/// </summary>
public sealed record ResendInvitation(Guid Id, int? ExpectedVersion = null) : IRequest<Unit>;

/// <summary>
/// 404 for an unknown user; 409 when the user has a password (the invitation was accepted) or is disabled (the link would
/// be refused); 400 without an address. The revocations, the new token and its message are one save (the outbox of
/// ADR 0033), audited as <c>user.invitation_resent</c>.
/// </summary>
public sealed class ResendInvitationHandler(IUserRepository users, EmailLinks links, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ResendInvitation, Unit>
{
    public async Task<Unit> Handle(ResendInvitation request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        Concurrency.Check(user.Version, request.ExpectedVersion);
        PendingInvitation.Ensure(user);
        if (user.Disabled)
        {
            throw new StateConflictException("The user is disabled: an invitation link would be refused. Enable the user first.");
        }

        if (user.Email is null)
        {
            throw RequestValidationException.For("email", "The user has no e-mail address to send the invitation to.");
        }

        var now = clock.GetUtcNow();
        var revoked = await links.RevokeOpenAsync(user, EmailTokenPurpose.Invitation, now, cancellationToken);
        links.SendInvitation(user, now);
        audit.Record(AuditEvents.InvitationResent(user.Id, revoked));
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
