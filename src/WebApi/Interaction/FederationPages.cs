using System.Text;
using AuthService.Application.Federation;
using AuthService.Application.Federation.Queries.ListSignInProviders;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The pages of upstream sign-in (docs/adr/0037 "The flow"): the providers' buttons on every sign-in page, the proof page
/// (an account has the upstream's address: sign in to it to link), and the error pages, which say what happened in words.
/// </summary>
public static class FederationPages
{
    /// <summary>The hidden field of a button's form that says which sign-in page it is on.</summary>
    public const string PurposeField = "purpose";

    public const string AuthorizationPurpose = "authorization";
    public const string DevicePurpose = "device";
    public const string AccountPurpose = "account";

    /// <summary>The proof page's "sign in with X instead" (docs/adr/0037 "Proof by a linked provider or a passkey").</summary>
    public const string ProofPurpose = "proof";

    /// <summary>The hidden field naming the round trip awaiting proof (the proof page's forms and its passkey page).</summary>
    public const string SignInField = "sign_in";

    /// <summary>
    /// One small form per enabled provider, posting to its challenge with the anti-forgery token and the page's carried
    /// request (<paramref name="hiddenFields"/>); <paramref name="heading"/> above them and <paramref name="label"/> of each
    /// display name (the proof page's "Sign in with X instead").
    /// </summary>
    internal static void Buttons(StringBuilder body, IReadOnlyList<SignInProvider>? providers, string purpose, Func<string, string> challengePath,
        Action<StringBuilder> hiddenFields, string heading = "Or sign in with", Func<string, string>? label = null)
    {
        if (providers is not { Count: > 0 })
        {
            return;
        }

        body.Append("<section aria-label=\"Other ways to sign in\"><p>").Append(Pages.Html.Encode(heading)).Append("</p>");
        foreach (var provider in providers)
        {
            body.Append("<form method=\"post\" action=\"").Append(Pages.Html.Encode(challengePath(provider.Name))).Append("\">");
            hiddenFields(body);
            body.Append("<input type=\"hidden\" name=\"").Append(PurposeField).Append("\" value=\"").Append(purpose).Append("\">")
                .Append("<button type=\"submit\" class=\"secondary\" id=\"external-").Append(Pages.Html.Encode(provider.Name)).Append("\">")
                .Append(Pages.Html.Encode(label is null ? provider.DisplayName : label(provider.DisplayName))).Append("</button></form>");
        }

        body.Append("</section>");
    }

    /// <summary>The page's <c>form-action</c> and the upstreams' origins: browsers check the redirect that follows a button's post against it.</summary>
    internal static string FormTargets(string targets, IReadOnlyList<SignInProvider>? providers) =>
        providers is not { Count: > 0 }
            ? targets
            : string.Join(' ', new[] { targets }.Concat(providers.Select(p => p.UpstreamOrigin).OfType<string>().Distinct(StringComparer.Ordinal)));

    /// <summary>
    /// "An account with this address exists": the account's password proves the person owns it before the upstream identity
    /// is linked (docs/adr/0037 "Linking needs proof"). One message for a wrong password, as the sign-in form has. As the
    /// proof offers (docs/adr/0037 "Proof by a linked provider or a passkey"): a "Sign in with X instead" button per provider
    /// already linked to the account (its display name only, as any sign-in page shows it) posting to X's challenge, and a
    /// "Use a passkey" link to the passkey page of <paramref name="passkeyPath"/>. The CSP form-action adds the offered
    /// upstreams' origins, as the sign-in pages do for their buttons.
    /// </summary>
    public static IResult Proof(ExternalSignInOutcome.ProveOwnership proof, string csrfToken, string proofPath, Func<string, string> challengePath,
        string passkeyPath)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>Link your account</h1>");
        body.Append("<p>An account with the address <strong>").Append(html.Encode(proof.Email ?? "")).Append("</strong> exists here. Sign in to it to link ")
            .Append(html.Encode(proof.Provider)).Append(" to it; until you do, nothing is linked.</p>");
        if (proof.Failed)
        {
            body.Append("<p class=\"error\" role=\"alert\">")
                .Append(proof switch
                {
                    { RetryAfter: not null } => "Too many failed attempts from your network. Wait a few minutes and try again.",
                    { Failure: ProofFailure.OtherWay } => "That did not prove this account is yours: the account you signed in with is not linked to it, "
                        + "or the passkey was not accepted.",
                    _ => "The password is incorrect, or this account cannot sign in right now.",
                })
                .Append("</p>");
        }

        body.Append("<form method=\"post\" action=\"").Append(html.Encode(proofPath)).Append("\">");
        Hidden(body, csrfToken, proof.SignInId);
        body.Append("<label for=\"password\">Password of that account</label>")
            .Append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required autofocus>")
            .Append("<button type=\"submit\">Sign in and link</button></form>");
        Buttons(body, proof.Offer.Providers, ProofPurpose, challengePath, hidden => Hidden(hidden, csrfToken, proof.SignInId),
            "Or prove it is your account another way", name => "Sign in with " + name + " instead");
        if (proof.Offer.Passkey)
        {
            body.Append("<p><a id=\"passkey-proof\" href=\"").Append(html.Encode(WithSignIn(passkeyPath, proof.SignInId))).Append("\">Use a passkey</a></p>");
        }

        return Pages.Page("Link your account", body.ToString(), proof.Failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK,
            FormTargets("'self'", proof.Offer.Providers));
    }

    /// <summary>A page of the round trip awaiting proof: the path and its <c>sign_in</c> query.</summary>
    public static string WithSignIn(string path, Guid signInId) => path + "?" + SignInField + "=" + signInId.ToString("D");

    /// <summary>The proof's second step: the account's authenticator code (or a backup code).</summary>
    public static IResult ProofSecondFactor(ExternalSignInOutcome.ProveSecondFactor proof, string csrfToken, string proofPath)
    {
        var body = new StringBuilder("<h1>Second step</h1><p>to link ").Append(Pages.Html.Encode(proof.Provider)).Append(" to your account</p>");
        Pages.SecondFactorForm(body, proof.Failed, proof.RetryAfter, proofPath, hidden => Hidden(hidden, csrfToken, proof.SignInId),
            new Application.SignIn.SecondFactorOffer(Code: true, Passkey: false), proofPath);
        return Pages.Page("Second step", body.ToString(), proof.Failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, "'self'");
    }

    /// <summary>Why the upstream sign-in ended: 404 for an unknown provider, 502 when the upstream could not be reached, else 400.</summary>
    public static IResult Error(FederationFailure failure, string? provider)
    {
        var name = provider ?? "the provider";
        var (title, text, status) = failure switch
        {
            FederationFailure.UnknownProvider => ("Sign-in not available", "There is no such way to sign in here.", StatusCodes.Status404NotFound),
            FederationFailure.NotSignedIn => ("Not signed in", "Sign in to your account first, then link " + name + " from your account page.",
                StatusCodes.Status400BadRequest),
            FederationFailure.Declined => ("Sign-in cancelled", "You cancelled at " + name + ". Nothing was changed; you can choose another way to sign in.",
                StatusCodes.Status400BadRequest),
            FederationFailure.Unavailable => ("Sign-in not possible right now", name + " could not be reached. Try again in a few minutes, or sign in another way.",
                StatusCodes.Status502BadGateway),
            FederationFailure.UpstreamRefused => ("Sign-in failed", "The answer from " + name + " could not be accepted. Start the sign-in again.",
                StatusCodes.Status400BadRequest),
            FederationFailure.AccountCannotSignIn => ("Sign-in failed", "This account cannot sign in right now.", StatusCodes.Status403Forbidden),
            FederationFailure.LinkedToAnotherAccount => ("Already linked", "This " + name + " account is linked to another account here already.",
                StatusCodes.Status409Conflict),
            FederationFailure.DomainNotAllowed => ("Sign-in not allowed",
                "Only verified addresses of the organisations this server allows may sign in with " + name + ".", StatusCodes.Status403Forbidden),
            FederationFailure.NoAccount => ("No account", "There is no account here for this " + name + " identity, and none is created automatically. "
                + "Ask an administrator for an account.", StatusCodes.Status403Forbidden),
            FederationFailure.RequestTooLarge => ("Sign-in failed", "The request is too long to continue with " + name + ".", StatusCodes.Status400BadRequest),
            _ => ("Sign-in failed", "This sign-in is not valid: it expired, was used already, or was started in another browser. Start again from the application.",
                StatusCodes.Status400BadRequest),
        };
        return Pages.Message(title, text, status);
    }

    private static void Hidden(StringBuilder body, string csrfToken, Guid signInId)
    {
        AccountPages.CsrfField(body, csrfToken);
        body.Append("<input type=\"hidden\" name=\"").Append(SignInField).Append("\" value=\"").Append(signInId.ToString("D")).Append("\">");
    }
}
