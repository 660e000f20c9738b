using System.Text;
using AuthService.Domain.Users;

namespace AuthService.WebApi.Interaction;

/// <summary>The self-registration page (docs/adr/0036), in the look and with the headers of <see cref="Pages"/>.</summary>
public static class SignUpPages
{
    /// <summary>The form; after a refusal it is shown again (400) with the message and what was typed, never the passwords.</summary>
    public static IResult Register(string csrfToken, string registerPath, string? username = null, string? email = null, string? name = null,
        string? error = null)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>Create an account</h1>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"register-error\">").Append(html.Encode(error)).Append("</p>");
        }

        var described = error is null ? "" : " aria-describedby=\"register-error\"";
        body.Append("<p>We send a link to your e-mail address to confirm it.</p>")
            .Append("<form method=\"post\" action=\"").Append(html.Encode(registerPath)).Append("\">");
        AccountPages.CsrfField(body, csrfToken);
        Field(body, "username", "Username", "text", "username", User.MaxUsernameLength, username, " required autofocus autocapitalize=\"none\" spellcheck=\"false\"" + described);
        Field(body, "email", "E-mail", "email", "email", User.MaxEmailLength, email, " required spellcheck=\"false\"" + described);
        Field(body, "name", "Name (optional)", "text", "name", User.MaxNameLength, name, described);
        PasswordFields(body, described);
        body.Append("<button type=\"submit\">Create the account</button></form>");
        return Pages.Page("Create an account", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, "'self'");
    }

    /// <summary>The answer to every accepted registration, whether an account was created or the address already had one (ASVS 6.3.8).</summary>
    public static IResult CheckYourEmail() => EmailPages.Status("Check your e-mail",
        "We have sent a message to the address you gave. Follow its link to confirm the address, then sign in. "
        + "If nothing arrives, check the spam folder.", StatusCodes.Status200OK);

    public static IResult Throttled() => EmailPages.Status("Please wait",
        "Too many requests were made for this address or from your network. Wait a few minutes and try again.", StatusCodes.Status429TooManyRequests);

    /// <summary>The sign-in page's link to <paramref name="registerPath"/>, when self-registration is on.</summary>
    public static void Link(StringBuilder body, string registerPath) =>
        body.Append("<p><a href=\"").Append(Pages.Html.Encode(registerPath)).Append("\">Create an account</a></p>");

    /// <summary>The new password, twice (never filled in again after a refusal).</summary>
    internal static void PasswordFields(StringBuilder body, string described) =>
        body.Append("<label for=\"password\">Password</label>")
            .Append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"new-password\" required").Append(described).Append('>')
            .Append("<label for=\"confirm_password\">Password again</label>")
            .Append("<input type=\"password\" id=\"confirm_password\" name=\"confirm_password\" autocomplete=\"new-password\" required").Append(described).Append('>');

    internal static void Field(StringBuilder body, string id, string label, string type, string autocomplete, int maxLength, string? value, string extra) =>
        body.Append("<label for=\"").Append(id).Append("\">").Append(label).Append("</label>")
            .Append("<input type=\"").Append(type).Append("\" id=\"").Append(id).Append("\" name=\"").Append(id).Append("\" autocomplete=\"").Append(autocomplete)
            .Append("\" maxlength=\"").Append(maxLength).Append("\" value=\"").Append(Pages.Html.Encode(value ?? "")).Append('"').Append(extra).Append('>');
}
