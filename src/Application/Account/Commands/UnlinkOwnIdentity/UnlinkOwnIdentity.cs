using AuthService.Application.Federation.Common;
using AuthService.Application.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.Federation;
using MediatR;

namespace AuthService.Application.Account.Commands.UnlinkOwnIdentity;

/// <summary>The person unlinks one of their upstream identities on the account page (<paramref name="IdentityId"/> as posted).</summary>
public sealed record UnlinkOwnIdentity(string? SessionHandle, string? IdentityId) : IRequest<AccountOutcome>;

/// <summary>
/// Only a link of the session's own person is found (another person's or an unknown id is 404, never told apart). The
/// last way in is refused (docs/adr/0037 "Administration"): without a password, a passkey or another link the person
/// could not sign in again. An active session is enough, as for removing a passkey, the other sign-in method the page
/// manages. Audited as <c>user.external_identity_unlinked</c>, reason <c>self</c>, in the same save as the removal, which
/// also moves the account's version: of two removals checked on the same state, the second conflicts ("changed meanwhile").
/// </summary>
public sealed class UnlinkOwnIdentityHandler(
    BrowserSessions sessions, IExternalIdentityRepository identities, LinkedIdentities linked, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<UnlinkOwnIdentity, AccountOutcome>
{
    public const string Unlinked = "identity-unlinked";

    public const string LastWayIn =
        "This is the only way you can sign in: set a password or add a passkey first, or link another account, then unlink this one.";

    public async Task<AccountOutcome> Handle(UnlinkOwnIdentity request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        var links = await identities.ListByUserIdAsync(active.User.Id, cancellationToken);
        if (!Guid.TryParse(request.IdentityId, out var id) || links.FirstOrDefault(i => i.Id == id) is not { } identity)
        {
            return AccountOutcome.Missing;
        }

        if (!(await linked.WaysInAsync(active.User, links.Count, cancellationToken)).AllowsUnlinkingOne)
        {
            return new AccountOutcome.Invalid(LastWayIn);
        }

        var now = clock.GetUtcNow();
        identity.Unlink(ExternalIdentity.UnlinkedBySelf, now);
        identities.Remove(identity);
        active.User.RecordWayInRemoved(now);
        return AccountOutcome.AfterWayInRemoval(await unitOfWork.SaveChangesAsync(cancellationToken), Unlinked);
    }
}
