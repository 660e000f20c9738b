using AuthService.Application.Common.Exceptions;
using AuthService.Application.SignIn;
using AuthService.Application.Users.Commands.EndUserSessions;
using MediatR;

namespace AuthService.Application.Account.Commands.EndAccountSessions;

/// <summary>The person ends one of their sessions (<paramref name="SessionId"/> as posted by the page).</summary>
public sealed record EndAccountSession(string? SessionHandle, string? SessionId) : IRequest<AccountOutcome>;

/// <summary>The person ends every session of theirs but this browser's.</summary>
public sealed record EndOtherAccountSessions(string? SessionHandle) : IRequest<AccountOutcome>;

/// <summary>
/// The administrator's <see cref="EndUserSession"/> / <see cref="EndUserSessions"/> for the session's own user, marked as the
/// person's own logout: the session ends on the server, its unredeemed codes are withdrawn, its refresh-token families
/// revoked and its clients notified (Back-Channel Logout 1.0 §2.5; ASVS 7.4.1, 7.5.2). A session id of another person, an
/// unknown or a malformed one is 404, never told apart.
/// </summary>
public sealed class EndAccountSessionsHandler(BrowserSessions browserSessions, IMediator sender)
    : IRequestHandler<EndAccountSession, AccountOutcome>, IRequestHandler<EndOtherAccountSessions, AccountOutcome>
{
    public const string Ended = "session-ended";

    public const string OthersEnded = "other-sessions-ended";

    public async Task<AccountOutcome> Handle(EndAccountSession request, CancellationToken cancellationToken)
    {
        if (await browserSessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        if (!Guid.TryParseExact(request.SessionId, "D", out var sessionId))
        {
            return AccountOutcome.Missing;
        }

        try
        {
            await sender.Send(new EndUserSession(active.User.Id, sessionId, BySelf: true), cancellationToken);
        }
        catch (NotFoundException)
        {
            return AccountOutcome.Missing;
        }

        return new AccountOutcome.Done(Ended);
    }

    public async Task<AccountOutcome> Handle(EndOtherAccountSessions request, CancellationToken cancellationToken)
    {
        if (await browserSessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        await sender.Send(new EndUserSessions(active.User.Id, Except: active.Session.Id, BySelf: true), cancellationToken);
        return new AccountOutcome.Done(OthersEnded);
    }
}
