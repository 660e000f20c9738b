using System.Text;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Tenants;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The page of a tenant invitation's link (docs/adr/0038), in the look and with the headers of <see cref="Pages"/>
/// (<c>Cache-Control: no-store</c>, <c>Referrer-Policy: no-referrer</c>, so the token in the address never leaves in a
/// <c>Referer</c>). The token travels in the link, then in a hidden field of the POST form; a GET never uses it up.
/// </summary>
public static class TenantInvitationPages
{
    public static IResult Render(TenantInvitationOutcome outcome, string token, string csrfToken, string path, string signInPath, string? registerPath) =>
        outcome switch
        {
            TenantInvitationOutcome.Ready ready => Ready(ready, token, csrfToken, path),
            TenantInvitationOutcome.SignInFirst signIn => SignInFirst(signIn.TenantName, signInPath, registerPath),
            TenantInvitationOutcome.AlreadyMember member => EmailPages.Status("Already a member", $"Your account is a member of {member.TenantName} already.",
                StatusCodes.Status409Conflict),
            TenantInvitationOutcome.Accepted accepted => EmailPages.Status("Invitation accepted",
                $"You are now a member of {accepted.TenantName} ({string.Join(", ", accepted.Roles)}).", StatusCodes.Status200OK),
            TenantInvitationOutcome.Refused refused => Refused(refused.Reason, signInPath),
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

    private static IResult SignInFirst(string tenantName, string signInPath, string? registerPath)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>Join ").Append(html.Encode(tenantName)).Append("</h1>")
            .Append("<p role=\"status\">To accept, sign in with the account of the invited e-mail address (verified), then open the link in the message again.</p>")
            .Append("<p><a href=\"").Append(html.Encode(signInPath)).Append("\">Sign in</a>");
        if (registerPath is not null)
        {
            body.Append(" or <a href=\"").Append(html.Encode(registerPath)).Append("\">create an account with that address</a>");
        }

        body.Append("</p>");
        return Pages.Page("Join " + tenantName, body.ToString(), StatusCodes.Status200OK, "'none'");
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
            _ => ("This invitation link is not valid: it may have been replaced by a newer one.", StatusCodes.Status400BadRequest),
        };
        var body = new StringBuilder("<h1>Invitation not accepted</h1><p class=\"error\" role=\"alert\">").Append(Pages.Html.Encode(why)).Append("</p>")
            .Append("<p><a href=\"").Append(Pages.Html.Encode(signInPath)).Append("\">Your account</a></p>");
        return Pages.Page("Invitation not accepted", body.ToString(), status, "'none'");
    }
}
