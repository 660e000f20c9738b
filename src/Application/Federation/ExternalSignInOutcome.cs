using AuthService.Application.Authorization;
using AuthService.Application.DeviceAuthorizations;
using AuthService.Application.SignIn.Commands.SignIn;

namespace AuthService.Application.Federation;

/// <summary>Where a step of an upstream sign-in leads; the endpoints turn it into a redirect or a page.</summary>
public abstract record ExternalSignInOutcome
{
    private ExternalSignInOutcome()
    {
    }

    /// <summary>To the upstream's authorization endpoint (303), with the browser-binding value for its cookie.</summary>
    public sealed record ToUpstream(Uri Url, string Binding) : ExternalSignInOutcome
    {
        public override string ToString() => "ToUpstream { (url and binding redacted) }";
    }

    /// <summary>An error page that says why (<paramref name="Provider"/>: the provider's display name, when known).</summary>
    public sealed record ErrorPage(FederationFailure Failure, string? Provider = null) : ExternalSignInOutcome;

    /// <summary>
    /// An account here has the upstream's address: the person proves they own it (its password; or, per
    /// <paramref name="Offer"/>, a provider already linked to it or one of its passkeys) before anything is linked
    /// (docs/adr/0037 "Linking needs proof"). <paramref name="Failure"/> says which way failed the last time, if one did.
    /// </summary>
    public sealed record ProveOwnership(Guid SignInId, string Provider, string? Email, ProofFailure Failure, TimeSpan? RetryAfter, ProofOffer Offer)
        : ExternalSignInOutcome
    {
        public bool Failed => Failure != ProofFailure.None;
    }

    /// <summary>The proof's password was right and the account has a second factor: its code (the pending sign-in's cookie value).</summary>
    public sealed record ProveSecondFactor(Guid SignInId, string Provider, string PendingHandle, bool Failed, TimeSpan? RetryAfter) : ExternalSignInOutcome
    {
        public override string ToString() => $"ProveSecondFactor {{ SignInId = {SignInId}, Failed = {Failed} }}";
    }

    /// <summary>The authorization request goes on (back to the authorization endpoint, its second step, or its error).</summary>
    public sealed record Authorization(InteractionOutcome Outcome) : ExternalSignInOutcome;

    /// <summary>The device page goes on.</summary>
    public sealed record Device(DevicePageOutcome Outcome) : ExternalSignInOutcome;

    /// <summary>The account page's sign-in: signed in, or its second step.</summary>
    public sealed record Account(PasswordSignInResult SignIn) : ExternalSignInOutcome;

    /// <summary>The signed-in account now has the upstream identity linked (<paramref name="Provider"/>: its display name).</summary>
    public sealed record Linked(string Provider) : ExternalSignInOutcome;
}

/// <summary>Which way of proving ownership failed on the proof page's last attempt.</summary>
public enum ProofFailure
{
    None = 0,

    /// <summary>The password (or the account cannot sign in now; one message, as the sign-in form has).</summary>
    Password = 1,

    /// <summary>The already linked provider's answer was not a link of this account, or the passkey was refused.</summary>
    OtherWay = 2,
}

/// <summary>
/// The ways besides the password the proof page offers (docs/adr/0037 "Proof by a linked provider or a passkey"): the
/// enabled providers already linked to the candidate account (never the one being linked; names only, never the upstream
/// accounts), and whether it has a passkey. Both only when the upstream's address is verified and trusted.
/// </summary>
public sealed record ProofOffer(IReadOnlyList<Queries.ListSignInProviders.SignInProvider> Providers, bool Passkey)
{
    public static readonly ProofOffer PasswordOnly = new([], false);
}
