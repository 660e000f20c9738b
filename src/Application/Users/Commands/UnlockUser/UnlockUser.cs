using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.UnlockUser;

/// <summary>Ends a lockout after failed sign-ins and resets the failure count; a user with no failures is refused (400).</summary>
public sealed record UnlockUser(Guid Id, int? ExpectedVersion = null) : IRequest<UserResult>;

public sealed class UnlockUserHandler(IUserRepository users, IUnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<UnlockUser, UserResult>
{
    public async Task<UserResult> Handle(UnlockUser request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        Concurrency.Check(user.Version, request.ExpectedVersion);
        var now = clock.GetUtcNow();
        if (!user.Unlock(now))
        {
            throw RequestValidationException.For("lockout", "The user is not locked out.");
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return UserResult.From(user, now);
    }
}
