using System.Text;
using AuthService.Domain.Email;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The pages of the e-mail links (forgot password, reset password, verify e-mail), in the look and with the headers of
/// <see cref="Pages"/>. The links' token travels only in the link and then in a hidden field of a POST form; every page
/// sends <c>Referrer-Policy: no-referrer</c> (the security-headers middleware and the page's meta tag), so the token never
/// leaks to another site in a <c>Referer</c>.
/// </summary>
public static class EmailPages
{
    public static IResult ForgotPassword(string csrfToken, string forgotPath, string? email = null, string? error = null) =>
        AddressForm("Forgot your password?", "Enter the e-mail address of your account. We send a link to choose a new password.", "Send the link",
            csrfToken, forgotPath, email, error);

    /// <summary>
    /// The "E-mail me a sign-in link" form of a sign-in page; <paramref name="carried"/> are the hidden fields of the flow it
    /// belongs to (the authorization request, the device's user code), which the link continues once used.
    /// </summary>
    public static IResult MagicLinkRequest(string csrfToken, string requestPath, string? email = null, string? error = null,
        IReadOnlyDictionary<string, string>? carried = null) =>
        AddressForm("E-mail me a sign-in link", "Enter the e-mail address of your account. We send a link that signs you in once, for a few minutes"
            + (carried is { Count: > 0 } ? " and continues where you are now." : "."),
            "E-mail me a sign-in link", csrfToken, requestPath, email, error, carried);

    /// <summary>A sign-in page's link to its "E-mail me a sign-in link" form (the operator may switch sign-in links off: then none).</summary>
    public static void MagicLinkLink(StringBuilder body, string? path)
    {
        if (path is not null)
        {
            body.Append("<p><a href=\"").Append(Pages.Html.Encode(path)).Append("\">E-mail me a sign-in link</a></p>");
        }
    }

    /// <summary>The answer to every accepted sign-in link request, whether or not the address has an account (ASVS 6.3.8).</summary>
    public static IResult MagicLinkSent() => Status("Check your e-mail",
        "If an account uses this address, a message with a sign-in link is on its way. The link works once and for a short time. "
        + "If nothing arrives, check the spam folder or ask again in a few minutes.", StatusCodes.Status200OK);

    /// <summary>The sign-in link's page: a button that POSTs the token (a mail scanner's GET signs nobody in).</summary>
    public static IResult MagicLink(string token, string csrfToken, string path) =>
        ConfirmLink("Sign in", "Sign in to your account with this link. If your account has a second factor, you are asked for it next.",
            "Sign in", token, csrfToken, path);

    private static IResult AddressForm(string title, string intro, string button, string csrfToken, string path, string? email, string? error,
        IReadOnlyDictionary<string, string>? carried = null)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>").Append(html.Encode(title)).Append("</h1>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"forgot-error\">").Append(html.Encode(error)).Append("</p>");
        }

        body.Append("<p>").Append(html.Encode(intro)).Append("</p>")
            .Append("<form method=\"post\" action=\"").Append(html.Encode(path)).Append("\">");
        AccountPages.CsrfField(body, csrfToken);
        foreach (var (name, value) in carried ?? new Dictionary<string, string>())
        {
            body.Append("<input type=\"hidden\" name=\"").Append(html.Encode(name)).Append("\" value=\"").Append(html.Encode(value)).Append("\">");
        }

        body.Append("<label for=\"email\">E-mail</label>")
            .Append("<input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"email\" spellcheck=\"false\" required autofocus")
            .Append(error is null ? "" : " aria-describedby=\"forgot-error\"")
            .Append(" maxlength=\"").Append(Domain.Users.User.MaxEmailLength).Append("\" value=\"").Append(html.Encode(email ?? "")).Append("\">")
            .Append("<button type=\"submit\">").Append(html.Encode(button)).Append("</button></form>");
        return Pages.Page(title, body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, "'self'");
    }

    /// <summary>The answer to every accepted request, whether or not the address has an account (ASVS 6.3.8).</summary>
    public static IResult ForgotPasswordSent() => Status("Check your e-mail",
        "If an account uses this address, a message with a link to choose a new password is on its way. The link works once and for a short time. "
        + "If nothing arrives, check the spam folder or ask again in a few minutes.", StatusCodes.Status200OK);

    public static IResult ForgotPasswordThrottled() => Status("Please wait",
        "Too many links were asked for this address or from your network. Wait a few minutes and try again.", StatusCodes.Status429TooManyRequests);

    /// <summary>The reset form; with <paramref name="invitation"/>, the invitation's (the first password).</summary>
    public static IResult ResetPassword(string token, string csrfToken, string resetPath, string? error = null, bool invitation = false)
    {
        var html = Pages.Html;
        var title = invitation ? "Choose your password" : "Choose a new password";
        var body = new StringBuilder("<h1>").Append(title).Append("</h1>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"reset-error\">").Append(html.Encode(error)).Append("</p>");
        }

        var described = error is null ? "" : " aria-describedby=\"reset-error\"";
        body.Append(invitation ? "<p>You then sign in with it.</p>" : "<p>Every session of your account ends when the password changes; you then sign in with the new one.</p>")
            .Append("<form method=\"post\" action=\"").Append(html.Encode(resetPath)).Append("\">");
        AccountPages.CsrfField(body, csrfToken);
        body.Append("<input type=\"hidden\" name=\"token\" value=\"").Append(html.Encode(token)).Append("\">")
            .Append("<label for=\"new_password\">New password</label>")
            .Append("<input type=\"password\" id=\"new_password\" name=\"new_password\" autocomplete=\"new-password\" required autofocus").Append(described).Append('>')
            .Append("<label for=\"confirm_password\">New password again</label>")
            .Append("<input type=\"password\" id=\"confirm_password\" name=\"confirm_password\" autocomplete=\"new-password\" required").Append(described).Append('>')
            .Append("<button type=\"submit\">Set the new password</button></form>");
        return Pages.Page(title, body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, "'self'");
    }

    public static IResult PasswordResetDone(string signInPath, bool invitation = false)
    {
        var title = invitation ? "Password set" : "Password changed";
        var body = new StringBuilder("<h1>").Append(title).Append("</h1>")
            .Append(invitation ? "<p role=\"status\">Your password is set and your e-mail address verified.</p>"
                : "<p role=\"status\">Your password has been changed and every session of your account has ended.</p>")
            .Append("<p><a href=\"").Append(Pages.Html.Encode(signInPath)).Append("\">Sign in with the new password</a></p>");
        return Pages.Page(title, body.ToString(), StatusCodes.Status200OK, "'none'");
    }

    /// <summary>
    /// The link's page: a button that POSTs the token. Mail scanners and link previews fetch links, so only the person's
    /// click verifies the address.
    /// </summary>
    public static IResult VerifyEmail(string token, string csrfToken, string verifyPath) =>
        ConfirmLink("Verify your e-mail address", "Confirm that this address is yours.", "Confirm my address", token, csrfToken, verifyPath);

    private static IResult ConfirmLink(string title, string text, string button, string token, string csrfToken, string path)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>").Append(html.Encode(title)).Append("</h1><p>").Append(html.Encode(text)).Append("</p>")
            .Append("<form method=\"post\" action=\"").Append(html.Encode(path)).Append("\">");
        AccountPages.CsrfField(body, csrfToken);
        body.Append("<input type=\"hidden\" name=\"token\" value=\"").Append(html.Encode(token)).Append("\">")
            .Append("<button type=\"submit\">").Append(html.Encode(button)).Append("</button></form>");
        return Pages.Page(title, body.ToString(), StatusCodes.Status200OK, "'self'");
    }

    public static IResult EmailVerified() => Status("E-mail address verified", "Thank you: your e-mail address is verified.", StatusCodes.Status200OK);

    /// <summary>An unknown, expired, used or outdated link: 400, with what to do next.</summary>
    public static IResult LinkRefused(EmailTokenUse reason, string forgotPath, string? magicLinkPath = null)
    {
        var why = reason switch
        {
            EmailTokenUse.Expired => "This link has expired.",
            EmailTokenUse.AlreadyUsed => "This link has already been used.",
            _ => "This link is not valid: it may have been replaced by a newer one, or the account has changed since it was sent.",
        };
        var body = new StringBuilder("<h1>Link not valid</h1><p class=\"error\" role=\"alert\">").Append(Pages.Html.Encode(why)).Append("</p>")
            .Append("<p>Ask for a new link: <a href=\"").Append(Pages.Html.Encode(forgotPath)).Append("\">reset your password</a>, ")
            .Append(magicLinkPath is null ? "" : "ask for <a href=\"" + Pages.Html.Encode(magicLinkPath) + "\">a new sign-in link</a>, ")
            .Append("or send a new verification message from your account page.</p>");
        return Pages.Page("Link not valid", body.ToString(), StatusCodes.Status400BadRequest, "'none'");
    }

    /// <summary>A page that only says something (<c>role=status</c>).</summary>
    internal static IResult Status(string title, string text, int statusCode) =>
        Pages.Page(title, "<h1>" + Pages.Html.Encode(title) + "</h1><p role=\"status\">" + Pages.Html.Encode(text) + "</p>", statusCode, "'none'");
}
