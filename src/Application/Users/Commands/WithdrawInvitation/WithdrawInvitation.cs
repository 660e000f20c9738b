using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Email;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.WithdrawInvitation;

/// <summary>
/// An administrator withdraws an invitation (<c>DELETE /admin/users/{id}/invitation</c>): the open invitation links are
/// revoked and the user, who never chose a password, is deleted as <c>DeleteUser</c> deletes (docs/adr/0036: an account
/// nobody accepted is not kept disabled; its username and address are free for a new invitation).
/// </summary>
public sealed record WithdrawInvitation(Guid Id, int? ExpectedVersion = null) : IRequest<Unit>;

/// <summary>
/// 404 for an unknown user; 409 when the user has a password (the invitation was accepted: delete the user instead).
/// An acceptance racing the withdrawal changes the user (a password, a new stamp) and uses the token: whichever saves
/// second conflicts on a version, so either the person has an account or the invitation is gone, never half of each. Audited as <c>user.invitation_withdrawn</c>
/// and <c>user.deleted</c>, both in the deletion's save.
/// </summary>
public sealed class WithdrawInvitationHandler(IUserRepository users, UserRemoval removal, EmailLinks links, IAuditTrail audit, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<WithdrawInvitation, Unit>
{
    public async Task<Unit> Handle(WithdrawInvitation request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        Concurrency.Check(user.Version, request.ExpectedVersion);
        PendingInvitation.Ensure(user);
        await removal.RevokeGrantsAsync(user.Id, cancellationToken);

        (await unitOfWork.ExecuteInTransactionAsync(async token =>
        {
            var current = await users.GetAsync(request.Id, token);
            Concurrency.Check(current.Version, request.ExpectedVersion);
            PendingInvitation.Ensure(current);
            var now = clock.GetUtcNow();
            var revoked = await links.RevokeOpenAsync(current, EmailTokenPurpose.Invitation, now, token);

            // The tokens are written first, as the acceptance writes them first (consumed, then the password set): both
            // lock the token rows before the user's, so a race ends in a version conflict, never in a deadlock.
            var tokensSaved = await unitOfWork.SaveChangesAsync(token);
            if (tokensSaved != SaveResult.Saved)
            {
                return tokensSaved;
            }

            audit.Record(AuditEvents.InvitationWithdrawn(current.Id, revoked));
            return await removal.RemoveAsync(current, now, token);
        }, cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
