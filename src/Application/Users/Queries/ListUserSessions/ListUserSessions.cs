using AuthService.Application.Common.Paging;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Queries.ListUserSessions;

/// <summary>
/// A user's current browser sessions, newest sign-in first: not ended, within both lifetimes, and bound to
/// the user's current security stamp (a session from before a password change or disabling is over). Not
/// paged: a user has few (every sign-in in a browser replaces that browser's session); the envelope is the
/// usual one, with no next cursor.
/// </summary>
public sealed record ListUserSessions(Guid UserId) : IRequest<Page<UserSessionResponse>>;

public sealed class ListUserSessionsHandler(IUserRepository users, IUserSessionRepository sessions, TimeProvider clock)
    : IRequestHandler<ListUserSessions, Page<UserSessionResponse>>
{
    public async Task<Page<UserSessionResponse>> Handle(ListUserSessions request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.UserId, cancellationToken);
        var now = clock.GetUtcNow();
        var current = await sessions.ListCurrentForUserAsync(user.Id, now, cancellationToken);
        return new Page<UserSessionResponse>([.. current.Where(s => s.IsActive(now, user.SecurityStamp)).Select(UserSessionResponse.From)], NextCursor: null);
    }
}
