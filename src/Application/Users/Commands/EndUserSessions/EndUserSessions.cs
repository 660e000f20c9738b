using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Persistence;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.AuthorizationCodes;
using AuthService.Domain.Common;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.EndUserSessions;

/// <summary>
/// Ends one browser session of a user, as a logout would (404 for a session of another user). <paramref name="BySelf"/>:
/// the person ended it on their account page (a logout), not an administrator.
/// </summary>
public sealed record EndUserSession(Guid UserId, Guid SessionId, bool BySelf = false) : IRequest<Unit>;

/// <summary>
/// Ends every current browser session of a user but <paramref name="Except"/> (the account page's "all others");
/// returns how many were ended.
/// </summary>
public sealed record EndUserSessions(Guid UserId, Guid? Except = null, bool BySelf = false) : IRequest<int>;

/// <summary>
/// Ends sessions the way logout does (ASVS 7.4.1; RFC 9700 §4.14.2): the session ends on
/// the server, its unredeemed codes are withdrawn so no new family can start in it, and the refresh token
/// families started in it are revoked with their access tokens.
/// </summary>
public sealed class EndUserSessionsHandler(
    IUserRepository users,
    IUserSessionRepository sessions,
    IAuthorizationCodeRepository codes,
    IRefreshTokenFamilyRepository families,
    GrantRevocation revocation,
    Logout.LogoutPropagation logout,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<EndUserSession, Unit>, IRequestHandler<EndUserSessions, int>
{
    public const string RevocationReason = "session_ended_by_admin";

    public const string SelfRevocationReason = "session_ended_by_user";

    public async Task<Unit> Handle(EndUserSession request, CancellationToken cancellationToken)
    {
        await users.GetAsync(request.UserId, cancellationToken);
        var session = await sessions.FindAsync(request.SessionId, cancellationToken);
        if (session is null || session.UserId != request.UserId)
        {
            throw new NotFoundException("session", request.SessionId.ToString());
        }

        await EndAsync([session.Id], request.BySelf, cancellationToken);
        return Unit.Value;
    }

    public async Task<int> Handle(EndUserSessions request, CancellationToken cancellationToken)
    {
        await users.GetAsync(request.UserId, cancellationToken);
        var current = await sessions.ListCurrentForUserAsync(request.UserId, clock.GetUtcNow(), cancellationToken);
        var ids = current.Select(s => s.Id).Where(id => id != request.Except).ToList();
        await EndAsync(ids, request.BySelf, cancellationToken);
        return ids.Count;
    }

    private async Task EndAsync(IReadOnlyList<Guid> sessionIds, bool bySelf, CancellationToken cancellationToken)
    {
        // A concurrent touch of a session must not keep it alive: rerun on fresh state until all have ended.
        (await ConflictRetry.RunAsync(async ct =>
        {
            var now = clock.GetUtcNow();
            foreach (var id in sessionIds)
            {
                if (await sessions.FindAsync(id, ct) is { } session && session.End(now))
                {
                    // Back-Channel Logout 1.0 §2.5: stored in the same save as the end of the session.
                    await logout.EnqueueAsync(session, bySelf ? Logout.LogoutPropagation.ReasonLogout : Logout.LogoutPropagation.ReasonAdmin, now, ct);
                }
            }

            return await unitOfWork.SaveChangesAsync(ct);
        }, cancellationToken)).ThrowIfConflict();

        await WithdrawCodesAsync(sessionIds, cancellationToken);
        foreach (var id in sessionIds)
        {
            foreach (var familyId in await families.ListUnrevokedForSessionAsync(id, cancellationToken))
            {
                await revocation.RevokeFamilyAsync(familyId, bySelf ? SelfRevocationReason : RevocationReason, cancellationToken);
            }
        }
    }

    /// <summary>A code issued just before the session ended would otherwise start a new family in it.</summary>
    private async Task WithdrawCodesAsync(IReadOnlyList<Guid> sessionIds, CancellationToken cancellationToken) =>
        (await ConflictRetry.RunAsync(async ct =>
        {
            // A code redeemed concurrently is no longer listed on the rerun; the family it started is revoked next.
            var now = clock.GetUtcNow();
            var withdrawn = false;
            foreach (var id in sessionIds)
            {
                foreach (var code in await codes.ListUsableForSessionAsync(id, now, ct))
                {
                    withdrawn |= code.Withdraw(now);
                }
            }

            return withdrawn ? await unitOfWork.SaveChangesAsync(ct) : SaveResult.Saved;
        }, cancellationToken)).ThrowIfConflict();
}
