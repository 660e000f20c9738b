using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using AuthService.Domain.Sessions;
using MediatR;

namespace AuthService.Application.Account.Queries.ListAccountSessions;

/// <summary>The active browser sessions of the person of <paramref name="SessionHandle"/>; null without an active session.</summary>
public sealed record ListAccountSessions(string? SessionHandle) : IRequest<IReadOnlyList<AccountSession>?>;

/// <summary>
/// One active session: its device (user agent, address), first and last seen, the apps it signed in to (client names),
/// and whether it is the one this page was asked through (<paramref name="Current"/>).
/// </summary>
public sealed record AccountSession(
    Guid Id, string? UserAgent, string? Address, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, IReadOnlyList<string> Apps, bool Current);

/// <summary>
/// The session's own user's current sessions, as the admin API lists them (not ended, within both lifetimes, the
/// current security stamp): this device first, then the newest sign-in first.
/// </summary>
public sealed class ListAccountSessionsHandler(BrowserSessions browserSessions, IUserSessionRepository sessions, IClientCatalog clients, TimeProvider clock)
    : IRequestHandler<ListAccountSessions, IReadOnlyList<AccountSession>?>
{
    public async Task<IReadOnlyList<AccountSession>?> Handle(ListAccountSessions request, CancellationToken cancellationToken)
    {
        if (await browserSessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var list = new List<AccountSession>();
        foreach (var session in await sessions.ListCurrentForUserAsync(active.User.Id, now, cancellationToken))
        {
            if (!session.IsActive(now, active.User.SecurityStamp))
            {
                continue;
            }

            var apps = new List<string>();
            foreach (var clientId in session.ClientIds)
            {
                apps.Add(await clients.FindAsync(clientId, cancellationToken) is { ClientName: { Length: > 0 } name } ? name : clientId);
            }

            list.Add(new AccountSession(session.Id, session.UserAgent, session.Address, session.AuthenticatedAt.ToUniversalTime(),
                session.LastSeenAt.ToUniversalTime(), apps, session.Id == active.Session.Id));
        }

        return [.. list.OrderByDescending(s => s.Current).ThenByDescending(s => s.FirstSeenAt)];
    }
}
