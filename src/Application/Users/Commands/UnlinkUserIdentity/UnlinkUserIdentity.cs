using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.UnlinkUserIdentity;

/// <summary>An administrator removes one of a user's upstream links; 404 for an unknown user, or a link that is not this user's.</summary>
public sealed record UnlinkUserIdentity(Guid UserId, Guid IdentityId) : IRequest<Unit>;

/// <summary>
/// Audited as <c>user.external_identity_unlinked</c> with reason <c>admin</c>. Unlike the person's own unlink, the last way
/// in may go: an administrator cuts a link that should not exist (a takeover, a leaver's old account), and can set a
/// password or send an invitation afterwards. The account's version moves in the same save: a removal the person makes at
/// the same instant (checked on the state before this one) conflicts instead of taking the account's last way in; a lost
/// race here is a 409.
/// </summary>
public sealed class UnlinkUserIdentityHandler(IUserRepository users, IExternalIdentityRepository identities, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<UnlinkUserIdentity, Unit>
{
    public async Task<Unit> Handle(UnlinkUserIdentity request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.UserId, cancellationToken);
        var identity = (await identities.ListByUserIdAsync(request.UserId, cancellationToken)).FirstOrDefault(i => i.Id == request.IdentityId)
            ?? throw new NotFoundException("identity", request.IdentityId.ToString());

        var now = clock.GetUtcNow();
        identity.Unlink(ExternalIdentity.UnlinkedByAdministrator, now);
        identities.Remove(identity);
        user.RecordWayInRemoved(now);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
