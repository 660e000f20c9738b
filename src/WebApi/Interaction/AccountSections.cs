using System.Globalization;
using System.Text;
using AuthService.Application.Account.Commands.ChangeOwnPassword;
using AuthService.Application.Account.Commands.EndAccountSessions;
using AuthService.Application.Account.Commands.UnlinkOwnIdentity;
using AuthService.Application.Account.Commands.UpdateOwnProfile;
using AuthService.Application.Account.Commands.WithdrawConsent;
using AuthService.Application.Account.Queries.ListAccountApps;
using AuthService.Application.Account.Queries.ListAccountSessions;
using AuthService.Application.Account.Queries.ViewLinkedAccounts;
using AuthService.Domain.Users;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The profile form and the list of consented apps on the account page, and the profile page re-rendered with a message
/// when its input is refused. Every value HTML-encoded, every form with the anti-forgery token, every field labelled.
/// </summary>
public static class AccountSections
{
    /// <summary>The message for a status code of the account page's redirect after a change (POST-redirect-GET); null for an unknown one.</summary>
    public static string? StatusMessage(string? status) => status switch
    {
        WithdrawConsentHandler.Status => "Access withdrawn. The application has to ask you again before it can act for you.",
        UpdateOwnProfileHandler.Saved => "Your profile has been saved.",
        UpdateOwnProfileHandler.SavedUnverified => "Your profile has been saved. Your new e-mail address is not verified yet.",
        ChangeOwnPasswordHandler.Changed => "Your password has been changed. Every other session has ended; this browser stays signed in.",
        EndAccountSessionsHandler.Ended => "The session has ended; that device is signed out.",
        EndAccountSessionsHandler.OthersEnded => "Every other session has ended; only this device is still signed in.",
        UnlinkOwnIdentityHandler.Unlinked => "The account has been unlinked. You can no longer sign in with it here.",
        Application.Email.Commands.SendVerificationEmail.SendVerificationEmailHandler.Sent =>
            "A message with a confirmation link is on its way to your e-mail address. Open the link to verify it.",
        _ => null,
    };

    /// <summary>The profile form: username shown (fixed), name and e-mail editable.</summary>
    public static void Profile(StringBuilder body, string username, string? name, string? email, bool emailVerified, string csrfToken, string profilePath,
        string? error = null)
    {
        var html = Pages.Html;
        body.Append("<section aria-labelledby=\"profile-heading\"><h2 id=\"profile-heading\">Profile</h2>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"profile-error\">").Append(html.Encode(error)).Append("</p>");
        }

        body.Append("<form method=\"post\" action=\"").Append(html.Encode(profilePath)).Append("\">");
        CsrfField(body, csrfToken);
        var described = error is null ? "" : " aria-describedby=\"profile-error\"";
        body.Append("<dl><dt>Username</dt><dd id=\"username\">").Append(html.Encode(username)).Append("</dd></dl>")
            .Append("<label for=\"name\">Name</label>")
            .Append("<input type=\"text\" id=\"name\" name=\"name\" autocomplete=\"name\" maxlength=\"").Append(User.MaxNameLength).Append('"')
            .Append(described).Append(" value=\"").Append(html.Encode(name ?? "")).Append("\">")
            .Append("<label for=\"email\">E-mail</label>")
            .Append("<input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"email\" spellcheck=\"false\" maxlength=\"").Append(User.MaxEmailLength).Append('"')
            .Append(described).Append(" value=\"").Append(html.Encode(email ?? "")).Append("\">");
        if (email is not null)
        {
            body.Append("<p id=\"email-state\">").Append(emailVerified ? "Your e-mail address is verified." : "Your e-mail address is not verified.").Append("</p>");
        }

        body.Append("<button type=\"submit\">Save profile</button></form></section>");
    }

    /// <summary>For an address that is not verified: a button that sends a link to it (ASVS 6.4: verified by a message sent to it).</summary>
    public static void EmailVerification(StringBuilder body, string csrfToken, string sendPath)
    {
        body.Append("<section aria-labelledby=\"verify-heading\"><h2 id=\"verify-heading\">Verify your e-mail address</h2>")
            .Append("<p>We send a link to your address; opening it shows that the address is yours.</p>")
            .Append("<form method=\"post\" action=\"").Append(Pages.Html.Encode(sendPath)).Append("\">");
        CsrfField(body, csrfToken);
        body.Append("<button type=\"submit\">Send verification e-mail</button></form></section>");
    }

    /// <summary>The apps the person allowed, each with what it may do, since when, and a button to withdraw the consent.</summary>
    public static void Apps(StringBuilder body, IReadOnlyList<AccountApp> apps, string csrfToken, string withdrawPath)
    {
        var html = Pages.Html;
        body.Append("<section aria-labelledby=\"apps-heading\"><h2 id=\"apps-heading\">Apps you allowed</h2>");
        if (apps.Count == 0)
        {
            body.Append("<p>You have not allowed any application to act for you.</p></section>");
            return;
        }

        body.Append("<ul class=\"apps\">");
        foreach (var app in apps)
        {
            body.Append("<li><strong>").Append(html.Encode(app.ClientName)).Append("</strong> (").Append(html.Encode(app.ClientId)).Append(")")
                .Append("<br>may use: ").Append(html.Encode(string.Join(", ", app.Scopes)))
                .Append("<br>since ").Append(Time(app.GrantedAt))
                .Append("<form method=\"post\" action=\"").Append(html.Encode(withdrawPath)).Append("\">");
            CsrfField(body, csrfToken);
            body.Append("<input type=\"hidden\" name=\"client_id\" value=\"").Append(html.Encode(app.ClientId)).Append("\">")
                .Append("<button type=\"submit\" class=\"secondary\">Withdraw access of ").Append(html.Encode(app.ClientName)).Append("</button></form></li>");
        }

        body.Append("</ul></section>");
    }

    /// <summary>The change-password form: the current password, the new one twice (ASVS 6.2.3).</summary>
    public static void Password(StringBuilder body, string csrfToken, string passwordPath, string? error = null)
    {
        body.Append("<section aria-labelledby=\"password-heading\"><h2 id=\"password-heading\">Password</h2>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"password-error\">").Append(Pages.Html.Encode(error)).Append("</p>");
        }

        body.Append("<form method=\"post\" action=\"").Append(Pages.Html.Encode(passwordPath)).Append("\">");
        CsrfField(body, csrfToken);
        body.Append("<label for=\"current_password\">Current password</label>")
            .Append("<input type=\"password\" id=\"current_password\" name=\"current_password\" autocomplete=\"current-password\" required")
            .Append(error is null ? "" : " autofocus aria-describedby=\"password-error\"").Append('>')
            .Append("<label for=\"new_password\">New password (at least 8 characters)</label>")
            .Append("<input type=\"password\" id=\"new_password\" name=\"new_password\" autocomplete=\"new-password\" required minlength=\"8\">")
            .Append("<label for=\"confirm_password\">New password again</label>")
            .Append("<input type=\"password\" id=\"confirm_password\" name=\"confirm_password\" autocomplete=\"new-password\" required minlength=\"8\">")
            .Append("<button type=\"submit\">Change password</button></form></section>");
    }

    /// <summary>The change-password form alone, with why it was refused (400); nothing changed.</summary>
    public static IResult PasswordPage(string csrfToken, string passwordPath, string accountPath, string error)
    {
        var body = new StringBuilder("<h1>Change your password</h1>");
        Password(body, csrfToken, passwordPath, error);
        body.Append("<p><a href=\"").Append(Pages.Html.Encode(accountPath)).Append("\">Back to your account</a></p>");
        return Pages.Page("Change your password", body.ToString(), StatusCodes.Status400BadRequest, "'self'");
    }

    /// <summary>The person's active sessions, this device marked; an end button for each other one, and one for all others.</summary>
    public static void Sessions(StringBuilder body, IReadOnlyList<AccountSession> sessions, string csrfToken, string endPath, string endOthersPath)
    {
        var html = Pages.Html;
        body.Append("<section aria-labelledby=\"sessions-heading\"><h2 id=\"sessions-heading\">Where you are signed in</h2><ul class=\"sessions\">");
        foreach (var session in sessions)
        {
            body.Append("<li").Append(session.Current ? " aria-current=\"true\"" : "").Append("><strong>")
                .Append(html.Encode(session.UserAgent ?? "Unknown browser")).Append("</strong>")
                .Append(session.Current ? " <em>(this device)</em>" : "")
                .Append("<br>from ").Append(html.Encode(session.Address ?? "an unknown address"))
                .Append("<br>signed in ").Append(Time(session.FirstSeenAt)).Append(", last seen ").Append(Time(session.LastSeenAt));
            if (session.Apps.Count > 0)
            {
                body.Append("<br>apps: ").Append(html.Encode(string.Join(", ", session.Apps)));
            }

            if (!session.Current)
            {
                body.Append("<form method=\"post\" action=\"").Append(html.Encode(endPath)).Append("\">");
                CsrfField(body, csrfToken);
                body.Append("<input type=\"hidden\" name=\"session_id\" value=\"").Append(session.Id.ToString("D")).Append("\">")
                    .Append("<button type=\"submit\" class=\"secondary\">End this session</button></form>");
            }

            body.Append("</li>");
        }

        body.Append("</ul>");
        if (sessions.Any(s => !s.Current))
        {
            body.Append("<form method=\"post\" action=\"").Append(html.Encode(endOthersPath)).Append("\">");
            CsrfField(body, csrfToken);
            body.Append("<button type=\"submit\">End all other sessions</button></form>");
        }

        body.Append("</section>");
    }

    /// <summary>
    /// The upstream accounts linked to this one (docs/adr/0037), each with an unlink button unless it is the last way in
    /// (then the section says so); and a "Link ..." form for each enabled provider not linked yet, posting to
    /// <paramref name="linkPathOf"/> (the upstream round trip of the sign-in flow, which makes the link on return).
    /// </summary>
    public static void LinkedAccounts(StringBuilder body, LinkedAccountsView view, string csrfToken, string unlinkPath, Func<string, string> linkPathOf)
    {
        var html = Pages.Html;
        body.Append("<section aria-labelledby=\"linked-heading\"><h2 id=\"linked-heading\">Linked accounts</h2>");
        if (view.Identities.Count == 0)
        {
            body.Append("<p>No account at another provider is linked. Link one to sign in with it.</p>");
        }
        else
        {
            body.Append("<ul class=\"linked\">");
            foreach (var identity in view.Identities)
            {
                body.Append("<li><strong>").Append(html.Encode(identity.ProviderDisplayName)).Append("</strong>")
                    .Append(identity.Email is null ? "" : " (" + html.Encode(identity.Email) + ")")
                    .Append("<br>linked ").Append(Time(identity.LinkedAt))
                    .Append(identity.LastSignInAt is { } used ? ", last used " + Time(used) : "");
                if (view.MayUnlink)
                {
                    body.Append("<form method=\"post\" action=\"").Append(html.Encode(unlinkPath)).Append("\">");
                    CsrfField(body, csrfToken);
                    body.Append("<input type=\"hidden\" name=\"identity_id\" value=\"").Append(identity.Id.ToString("D")).Append("\">")
                        .Append("<button type=\"submit\" class=\"secondary\">Unlink ").Append(html.Encode(identity.ProviderDisplayName)).Append("</button></form>");
                }

                body.Append("</li>");
            }

            body.Append("</ul>");
            if (!view.MayUnlink)
            {
                body.Append("<p id=\"last-way-in\">").Append(html.Encode(UnlinkOwnIdentityHandler.LastWayIn)).Append("</p>");
            }
        }

        foreach (var provider in view.Linkable)
        {
            body.Append("<form method=\"post\" action=\"").Append(html.Encode(linkPathOf(provider.Name))).Append("\">");
            CsrfField(body, csrfToken);
            body.Append("<button type=\"submit\">Link ").Append(html.Encode(provider.DisplayName)).Append("</button></form>");
        }

        body.Append("</section>");
    }

    private static string Time(DateTimeOffset at) =>
        "<time datetime=\"" + at.ToString("O", CultureInfo.InvariantCulture) + "\">"
        + Pages.Html.Encode(at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)) + "</time>";

    /// <summary>The profile form alone, with the refused input and why (400); nothing was saved.</summary>
    public static IResult ProfilePage(string username, string? name, string? email, bool emailVerified, string csrfToken, string profilePath,
        string accountPath, string error)
    {
        var body = new StringBuilder("<h1>Your profile</h1>");
        Profile(body, username, name, email, emailVerified, csrfToken, profilePath, error);
        body.Append("<p><a href=\"").Append(Pages.Html.Encode(accountPath)).Append("\">Back to your account</a></p>");
        return Pages.Page("Your profile", body.ToString(), StatusCodes.Status400BadRequest, "'self'");
    }

    private static void CsrfField(StringBuilder body, string csrfToken) =>
        body.Append("<input type=\"hidden\" name=\"").Append(BrowserCookies.CsrfField).Append("\" value=\"").Append(Pages.Html.Encode(csrfToken)).Append("\">");
}
