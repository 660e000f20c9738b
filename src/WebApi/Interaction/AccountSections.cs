using System.Globalization;
using System.Text;
using AuthService.Application.Account.Commands.UpdateOwnProfile;
using AuthService.Application.Account.Commands.WithdrawConsent;
using AuthService.Application.Account.Queries.ListAccountApps;
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
                .Append("<br>since <time datetime=\"").Append(app.GrantedAt.ToString("O", CultureInfo.InvariantCulture)).Append("\">")
                .Append(html.Encode(app.GrantedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))).Append("</time>")
                .Append("<form method=\"post\" action=\"").Append(html.Encode(withdrawPath)).Append("\">");
            CsrfField(body, csrfToken);
            body.Append("<input type=\"hidden\" name=\"client_id\" value=\"").Append(html.Encode(app.ClientId)).Append("\">")
                .Append("<button type=\"submit\" class=\"secondary\">Withdraw access of ").Append(html.Encode(app.ClientName)).Append("</button></form></li>");
        }

        body.Append("</ul></section>");
    }

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
