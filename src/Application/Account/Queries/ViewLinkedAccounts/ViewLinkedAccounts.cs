using AuthService.Application.Federation.Common;
using AuthService.Application.SignIn;
using AuthService.Domain.Federation;
using MediatR;

namespace AuthService.Application.Account.Queries.ViewLinkedAccounts;

/// <summary>The account page's "Linked accounts" of the browser session's person; null without an active session.</summary>
public sealed record ViewLinkedAccounts(string? SessionHandle) : IRequest<LinkedAccountsView?>;

/// <summary>
/// The person's links; whether one may be unlinked (<see cref="Domain.Users.WaysIn"/>: not the last way in); and the
/// enabled providers not linked yet, each offered as "Link ..." (a disabled provider is neither offered nor usable).
/// </summary>
public sealed record LinkedAccountsView(IReadOnlyList<LinkedIdentity> Identities, bool MayUnlink, IReadOnlyList<LinkableProvider> Linkable);

/// <summary>
/// A provider the person may link: its name (the link path's segment), its label, and the origin its authorization
/// endpoint is expected on (the page's CSP <c>form-action</c> must allow the redirect that follows the link form's post).
/// </summary>
public sealed record LinkableProvider(string Name, string DisplayName, string? UpstreamOrigin);

public sealed class ViewLinkedAccountsHandler(BrowserSessions sessions, LinkedIdentities linked, IExternalProviderRepository providers)
    : IRequestHandler<ViewLinkedAccounts, LinkedAccountsView?>
{
    public async Task<LinkedAccountsView?> Handle(ViewLinkedAccounts request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return null;
        }

        var identities = await linked.ListAsync(active.User.Id, cancellationToken);
        var waysIn = await linked.WaysInAsync(active.User, identities.Count, cancellationToken);
        var linkable = (await providers.ListAsync(enabledOnly: true, cancellationToken))
            .Where(p => identities.All(i => i.Provider != p.Name))
            .Select(p => new LinkableProvider(p.Name, p.DisplayName, p.AuthorizationOrigin()))
            .ToList();
        return new LinkedAccountsView(identities, waysIn.AllowsUnlinkingOne, linkable);
    }
}
