using AuthService.Domain.Common;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;

namespace AuthService.Application.SignIn;

/// <summary>A browser session that is still good, and its user.</summary>
public sealed record ActiveSession(UserSession Session, User User);

/// <summary>
/// Resolves the session cookie's handle to the server-side session (ASVS 7.4.1: the server decides, the
/// cookie alone proves nothing). A session is good while not ended, within its lifetimes, its user
/// enabled and not locked out, and its credentials unchanged since the sign-in (security stamp).
/// </summary>
public sealed class BrowserSessions(IUserSessionRepository sessions, IUserRepository users, TimeProvider clock)
{
    public async Task<ActiveSession?> FindActiveAsync(string? handle, CancellationToken cancellationToken)
    {
        if (handle is not { Length: OpaqueToken.HashLength })
        {
            return null;
        }

        var session = await sessions.FindByHandleHashAsync(OpaqueToken.HashOf(handle), cancellationToken);
        if (session is null)
        {
            return null;
        }

        // A locked-out account gets nothing through an old session either (CVE-2026-9798): it must sign in again once the lockout ends.
        var user = await users.FindByIdAsync(session.UserId, cancellationToken);
        var now = clock.GetUtcNow();
        return user is { Disabled: false } && !user.IsLockedOut(now) && session.IsActive(now, user.SecurityStamp) ? new ActiveSession(session, user) : null;
    }
}
