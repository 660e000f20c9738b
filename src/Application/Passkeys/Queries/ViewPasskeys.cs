using AuthService.Application.SignIn;
using AuthService.Domain.Passkeys;
using MediatR;

namespace AuthService.Application.Passkeys.Queries;

/// <summary>One passkey as the account page lists it (no key material).</summary>
public sealed record PasskeyItem(Guid Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Synced);

/// <summary>The passkeys of the browser session's person; null without an active session.</summary>
public sealed record ViewPasskeys(string? SessionHandle) : IRequest<IReadOnlyList<PasskeyItem>?>;

public sealed class ViewPasskeysHandler(BrowserSessions sessions, IPasskeyRepository passkeys) : IRequestHandler<ViewPasskeys, IReadOnlyList<PasskeyItem>?>
{
    public async Task<IReadOnlyList<PasskeyItem>?> Handle(ViewPasskeys request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return null;
        }

        return [.. (await passkeys.ListByUserIdAsync(active.User.Id, cancellationToken))
            .Select(p => new PasskeyItem(p.Id, p.Name, p.CreatedAt, p.LastUsedAt, p.BackupEligible))];
    }
}
