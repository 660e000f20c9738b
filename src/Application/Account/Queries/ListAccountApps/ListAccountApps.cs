using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using AuthService.Domain.Consents;
using MediatR;

namespace AuthService.Application.Account.Queries.ListAccountApps;

/// <summary>The apps the person of the browser session <paramref name="SessionHandle"/> has consented to; null without an active session.</summary>
public sealed record ListAccountApps(string? SessionHandle) : IRequest<IReadOnlyList<AccountApp>?>;

/// <summary>A consent the person gave: the client's name (its id when it has none or is gone), the scopes granted, when first given.</summary>
public sealed record AccountApp(string ClientId, string ClientName, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt);

/// <summary>Only the session's own user's consents (ASVS 10.7.2: a person can see what they allowed); by client id.</summary>
public sealed class ListAccountAppsHandler(BrowserSessions browserSessions, IConsentRepository consents, IClientCatalog clients)
    : IRequestHandler<ListAccountApps, IReadOnlyList<AccountApp>?>
{
    /// <summary>More consents than a person plausibly gives; the page lists at most this many.</summary>
    public const int MaxApps = 200;

    public async Task<IReadOnlyList<AccountApp>?> Handle(ListAccountApps request, CancellationToken cancellationToken)
    {
        if (await browserSessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return null;
        }

        var apps = new List<AccountApp>();
        foreach (var consent in await consents.ListAsync(active.User.Id, clientId: null, after: null, MaxApps, cancellationToken))
        {
            var name = await clients.FindAsync(consent.ClientId, cancellationToken) is { ClientName: { Length: > 0 } clientName } ? clientName : consent.ClientId;
            apps.Add(new AccountApp(consent.ClientId, name, consent.Scopes, consent.GrantedAt.ToUniversalTime()));
        }

        return apps;
    }
}
