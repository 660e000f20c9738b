using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Queries.GetUser;

public sealed record GetUser(Guid Id) : IRequest<UserResult>;

public sealed class GetUserHandler(IUserRepository users, TimeProvider clock) : IRequestHandler<GetUser, UserResult>
{
    public async Task<UserResult> Handle(GetUser request, CancellationToken cancellationToken) =>
        UserResult.From(await users.GetAsync(request.Id, cancellationToken), clock.GetUtcNow());
}
