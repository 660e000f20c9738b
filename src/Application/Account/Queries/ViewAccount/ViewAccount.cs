using AuthService.Application.SignIn;
using MediatR;

namespace AuthService.Application.Account.Queries.ViewAccount;

/// <summary>The signed-in person's account, from the browser's session cookie; null without an active session.</summary>
public sealed record ViewAccount(string? SessionHandle) : IRequest<AccountView?>;

/// <summary>What the account page shows of the person.</summary>
public sealed record AccountView(Guid UserId, Guid SessionId, string Username, string? Name, string? Email, bool EmailVerified);

/// <summary>The session is resolved as the authorization endpoint resolves it (<see cref="BrowserSessions"/>).</summary>
public sealed class ViewAccountHandler(BrowserSessions sessions) : IRequestHandler<ViewAccount, AccountView?>
{
    public async Task<AccountView?> Handle(ViewAccount request, CancellationToken cancellationToken) =>
        await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is { } active
            ? new AccountView(active.User.Id, active.Session.Id, active.User.Username, active.User.Name, active.User.Email, active.User.EmailVerified)
            : null;
}
