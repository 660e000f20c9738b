using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.DeleteUser;

/// <summary>
/// Deletes a user and everything issued to them (ASVS 7.4.2): refresh token families are revoked
/// first, denylisting their access tokens; then, in one transaction, codes, families, consents and sessions
/// are deleted with the user. Access tokens not from a family fail at UserInfo, which looks the user up.
/// </summary>
public sealed record DeleteUser(Guid Id, int? ExpectedVersion = null) : IRequest<Unit>;

public sealed class DeleteUserHandler(IUserRepository users, GrantCleanup grants, Logout.LogoutPropagation logout, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<DeleteUser, Unit>
{
    public const string RevocationReason = "user_deleted";

    public async Task<Unit> Handle(DeleteUser request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        Concurrency.Check(user.Version, request.ExpectedVersion);
        await grants.RevokeGrantsAsync(user.Id, clientId: null, RevocationReason, cancellationToken);

        (await unitOfWork.ExecuteInTransactionAsync(async token =>
        {
            // Read again: the revocations saved in between, and a writer may have changed or deleted the user.
            var current = await users.GetAsync(request.Id, token);
            Concurrency.Check(current.Version, request.ExpectedVersion);

            // Read before the sessions are deleted; stored in the same transaction (Back-Channel Logout 1.0 §2.5).
            await logout.EnqueueForUserAsync(current.Id, current.SecurityStamp, Logout.LogoutPropagation.ReasonUserDeleted, clock.GetUtcNow(), token);
            await grants.DeleteGrantsAsync(current.Id, clientId: null, token);
            current.Delete(clock.GetUtcNow());
            users.Remove(current);
            return await unitOfWork.SaveChangesAsync(token);
        }, cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
