using System.Text;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Tenants;
using AuthService.Domain.Users;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The page of a tenant invitation's link (docs/adr/0038), in the look and with the headers of <see cref="Pages"/>
/// (<c>Cache-Control: no-store</c>, <c>Referrer-Policy: no-referrer</c>, so the token in the address never leaves in a
/// <c>Referer</c>). The token travels in the link, then in a hidden field of the POST form; a GET never uses it up.
/// </summary>
public static class TenantInvitationPages
{
    /// <summary>The paths the page's forms and links go to.</summary>
    public sealed record Paths(string Accept, string Register, string SignIn);

    /// <summary>What was typed into the account creation form, shown again after a refusal (never the passwords).</summary>
    public sealed record Typed(string? Username, string? Name)
    {
        public static readonly Typed Nothing = new(null, null);
    }

    public static IResult Render(TenantInvitationOutcome outcome, string token, string csrfToken, Paths paths, Typed typed) =>
        outcome switch
        {
            TenantInvitationOutcome.Ready ready => Ready(ready, token, csrfToken, paths.Accept),
            TenantInvitationOutcome.SignInFirst signIn => SignInFirst(signIn, token, csrfToken, paths, typed),
            TenantInvitationOutcome.Registered registered => Registered(registered, paths.SignIn),
            TenantInvitationOutcome.AccountExists exists => WithSignIn("Sign in to join " + exists.TenantName,
                "The invited address has an account already. Sign in with it: you come back to the invitation afterwards to accept.", paths.SignIn,
                StatusCodes.Status409Conflict),
            TenantInvitationOutcome.Throttled => SignUpPages.Throttled(),
            TenantInvitationOutcome.AlreadyMember member => EmailPages.Status("Already a member", $"Your account is a member of {member.TenantName} already.",
                StatusCodes.Status409Conflict),
            TenantInvitationOutcome.Accepted accepted => EmailPages.Status("Invitation accepted",
                $"You are now a member of {accepted.TenantName} ({string.Join(", ", accepted.Roles)}).", StatusCodes.Status200OK),
            TenantInvitationOutcome.Refused refused => Refused(refused.Reason, paths.SignIn),
            _ => throw new InvalidOperationException("Unknown invitation outcome."),
        };

    private static IResult Ready(TenantInvitationOutcome.Ready ready, string token, string csrfToken, string path)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>Join ").Append(html.Encode(ready.TenantName)).Append("</h1><p>You are invited to join ")
            .Append(html.Encode(ready.TenantName)).Append(" as ").Append(html.Encode(string.Join(", ", ready.Roles)))
            .Append(", with your account ").Append(html.Encode(ready.Username)).Append(".</p>")
            .Append("<form method=\"post\" action=\"").Append(html.Encode(path)).Append("\">");
        AccountPages.CsrfField(body, csrfToken);
        body.Append("<input type=\"hidden\" name=\"token\" value=\"").Append(html.Encode(token)).Append("\">")
            .Append("<button type=\"submit\">Accept the invitation</button></form>");
        return Pages.Page("Join " + ready.TenantName, body.ToString(), StatusCodes.Status200OK, "'self'");
    }

    /// <summary>
    /// Nobody is signed in: sign in with the invited address's account (then open the link again), or create that account
    /// here. The address is the invitation's, shown and not asked for: the account is created with it, verified, and joins at
    /// once (docs/adr/0038, "Joining"). After a refusal the form is shown again (400) with the message.
    /// </summary>
    private static IResult SignInFirst(TenantInvitationOutcome.SignInFirst signIn, string token, string csrfToken, Paths paths, Typed typed)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>Join ").Append(html.Encode(signIn.TenantName)).Append("</h1>")
            .Append("<p>You are invited to join ").Append(html.Encode(signIn.TenantName)).Append(" with the address <strong>")
            .Append(html.Encode(signIn.Email)).Append("</strong>.</p>")
            .Append("<h2>You have an account with this address</h2>")
            .Append("<p role=\"status\">To accept, sign in with the account of the invited e-mail address (verified): you come back to this page afterwards.</p>")
            .Append("<p><a href=\"").Append(html.Encode(paths.SignIn)).Append("\">Sign in</a></p>")
            .Append("<h2>You have no account yet</h2>");
        if (signIn.RegistrationRefusal is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"register-error\">").Append(html.Encode(signIn.RegistrationRefusal)).Append("</p>");
        }

        var described = signIn.RegistrationRefusal is null ? "" : " aria-describedby=\"register-error\"";
        body.Append("<p>Create an account with this address and join in one step.</p>")
            .Append("<form method=\"post\" action=\"").Append(html.Encode(paths.Register)).Append("\">");
        AccountPages.CsrfField(body, csrfToken);
        body.Append("<input type=\"hidden\" name=\"token\" value=\"").Append(html.Encode(token)).Append("\">");
        SignUpPages.Field(body, "username", "Username", "text", "username", User.MaxUsernameLength, typed.Username,
            " required autocapitalize=\"none\" spellcheck=\"false\"" + described);
        SignUpPages.Field(body, "name", "Name (optional)", "text", "name", User.MaxNameLength, typed.Name, described);
        SignUpPages.PasswordFields(body, described);
        body.Append("<button type=\"submit\">Create the account and join</button></form>");
        return Pages.Page("Join " + signIn.TenantName, body.ToString(),
            signIn.RegistrationRefusal is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, "'self'");
    }

    private static IResult Registered(TenantInvitationOutcome.Registered registered, string signInPath) =>
        WithSignIn("Invitation accepted", $"Your account {registered.Username} was created and is now a member of {registered.TenantName} "
            + $"({string.Join(", ", registered.Roles)}). Sign in with it to continue.", signInPath, StatusCodes.Status200OK);

    private static IResult WithSignIn(string title, string text, string signInPath, int status)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>").Append(html.Encode(title)).Append("</h1><p role=\"status\">").Append(html.Encode(text)).Append("</p>")
            .Append("<p><a href=\"").Append(html.Encode(signInPath)).Append("\">Sign in</a></p>");
        return Pages.Page(title, body.ToString(), status, "'none'");
    }

    /// <summary>An unknown, used, withdrawn or expired link, or the wrong account: 400 (403 for the account), with what to do next.</summary>
    private static IResult Refused(TenantInvitationUse? reason, string signInPath)
    {
        var (why, status) = reason switch
        {
            TenantInvitationUse.Expired => ("This invitation has expired. Ask the tenant's administrator to send it again.", StatusCodes.Status400BadRequest),
            TenantInvitationUse.AlreadyUsed => ("This invitation has already been accepted.", StatusCodes.Status400BadRequest),
            TenantInvitationUse.Withdrawn => ("This invitation was withdrawn.", StatusCodes.Status400BadRequest),
            TenantInvitationUse.WrongAccount => ("This invitation was sent to another e-mail address than your account's. Sign in with the account of the invited address.",
                StatusCodes.Status403Forbidden),
            TenantInvitationUse.EmailNotVerified => ("Your account's e-mail address is not verified yet. Verify it from your account page, then open the link again.",
                StatusCodes.Status403Forbidden),
            TenantInvitationUse.TenantSuspended => ("This tenant is suspended: nobody can join it at the moment. Ask the tenant's administrator.",
                StatusCodes.Status403Forbidden),
            TenantInvitationUse.DomainNotAllowed => ("This tenant admits only e-mail addresses at its own domains, and the invited address is not at one of them (any more). Ask the tenant's administrator.",
                StatusCodes.Status403Forbidden),
            _ => ("This invitation link is not valid: it may have been replaced by a newer one.", StatusCodes.Status400BadRequest),
        };
        var body = new StringBuilder("<h1>Invitation not accepted</h1><p class=\"error\" role=\"alert\">").Append(Pages.Html.Encode(why)).Append("</p>")
            .Append("<p><a href=\"").Append(Pages.Html.Encode(signInPath)).Append("\">Your account</a></p>");
        return Pages.Page("Invitation not accepted", body.ToString(), status, "'none'");
    }
}
