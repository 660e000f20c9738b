using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.EnableUser;

/// <summary>Enables a disabled user: they may sign in again (their old sessions and grants stay ended).</summary>
public sealed record EnableUser(Guid Id, int? ExpectedVersion = null) : IRequest<UserResult>;

public sealed class EnableUserHandler(IUserRepository users, IUnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<EnableUser, UserResult>
{
    public async Task<UserResult> Handle(EnableUser request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        Concurrency.Check(user.Version, request.ExpectedVersion);
        var now = clock.GetUtcNow();
        if (!user.Enable(now))
        {
            throw RequestValidationException.For("disabled", "The user is already enabled.");
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return UserResult.From(user, now);
    }
}
