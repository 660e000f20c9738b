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

public sealed class DeleteUserHandler(IUserRepository users, UserRemoval removal, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<DeleteUser, Unit>
{
    public const string RevocationReason = UserRemoval.RevocationReason;

    private readonly UserRemoval _removal = removal;

    public async Task<Unit> Handle(DeleteUser request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        Concurrency.Check(user.Version, request.ExpectedVersion);
        await _removal.RevokeGrantsAsync(user.Id, cancellationToken);

        (await unitOfWork.ExecuteInTransactionAsync(async token =>
        {
            // Read again: the revocations saved in between, and a writer may have changed or deleted the user.
            var current = await users.GetAsync(request.Id, token);
            Concurrency.Check(current.Version, request.ExpectedVersion);
            return await _removal.RemoveAsync(current, clock.GetUtcNow(), token);
        }, cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
