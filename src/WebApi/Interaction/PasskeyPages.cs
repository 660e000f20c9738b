using System.Globalization;
using System.Text;
using AuthService.Application.Passkeys.Queries;
using AuthService.Domain.Passkeys;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The passkey pages (<c>/account/passkeys</c> and the two ceremony pages), in the look and with the headers of
/// <see cref="Pages"/>. Listing, renaming and removing are plain forms that work without JavaScript; only the ceremony page
/// runs a script, the external <c>/passkeys.js</c> allowed by the page's CSP nonce (WebAuthn has no HTML-only form). The
/// ceremony's options travel in a data attribute of its form, so the script needs no request of its own (no connect-src).
/// </summary>
public static class PasskeyPages
{
    public const string ScriptPath = "/passkeys.js";

    /// <summary>A form's passkey page is its path and this: <c>/account/login/passkey</c>, <c>/device/login/second-factor/passkey</c>, ...</summary>
    public const string PathSuffix = "/passkey";

    /// <summary>A passkey page of the authorization flow: the request travels in the query, then in the page's form.</summary>
    public static string PathWithRequest(string path, IReadOnlyDictionary<string, string> parameters) =>
        path + "?" + PageForm.RequestField + "=" + Uri.EscapeDataString(InteractionForms.Encode(parameters));

    /// <summary>A passkey page of the device verification page: the user code the person came with travels in the query.</summary>
    public static string PathWithUserCode(string path, string? userCode) =>
        string.IsNullOrEmpty(userCode) ? path : path + "?" + Endpoints.Interaction.DeviceVerificationEndpoints.UserCodeField + "=" + Uri.EscapeDataString(userCode);

    public sealed record Paths(string Security, string Begin, string Rename, string Remove);

    public static IResult Manage(IReadOnlyList<PasskeyItem> passkeys, string csrfToken, string? status, string? error, Paths paths)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>Passkeys</h1>")
            .Append("<p>A passkey signs you in with your device's screen lock (fingerprint, face or PIN) instead of a password, ")
            .Append("and counts as a second factor after your password: with a passkey, signing in with your password asks for it next. ")
            .Append("Removing your last passkey, when you have no authenticator app, turns that second step off.</p>");
        if (status is not null)
        {
            body.Append("<p class=\"status\" role=\"status\">").Append(html.Encode(status)).Append("</p>");
        }

        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"passkey-error\">").Append(html.Encode(error)).Append("</p>");
        }

        body.Append("<section aria-labelledby=\"passkeys-heading\"><h2 id=\"passkeys-heading\">Your passkeys</h2>");
        if (passkeys.Count == 0)
        {
            body.Append("<p id=\"no-passkeys\">You have no passkeys yet.</p>");
        }
        else
        {
            body.Append("<ul id=\"passkeys\">");
            foreach (var passkey in passkeys)
            {
                var id = passkey.Id.ToString();
                body.Append("<li data-passkey-id=\"").Append(id).Append("\"><strong>").Append(html.Encode(passkey.Name)).Append("</strong> (")
                    .Append(passkey.Synced ? "synced" : "this device only").Append("), added ").Append(Date(passkey.CreatedAt))
                    .Append(passkey.LastUsedAt is { } used ? ", last used " + Date(used) : ", never used").Append('.');
                Form(body, paths.Rename, csrfToken, id);
                body.Append("<label for=\"name-").Append(id).Append("\">New name</label><input type=\"text\" id=\"name-").Append(id)
                    .Append("\" name=\"name\" required maxlength=\"").Append(Passkey.MaxNameLength).Append("\" value=\"").Append(html.Encode(passkey.Name))
                    .Append("\"><button type=\"submit\" class=\"secondary\">Rename</button></form>");
                Form(body, paths.Remove, csrfToken, id);
                body.Append("<button type=\"submit\" class=\"secondary\">Remove ").Append(html.Encode(passkey.Name)).Append("</button></form></li>");
            }

            body.Append("</ul>");
        }

        body.Append("</section><section aria-labelledby=\"add-heading\"><h2 id=\"add-heading\">Add a passkey</h2>");
        Form(body, paths.Begin, csrfToken, id: null);
        body.Append("<label for=\"passkey-name\">Name for the new passkey</label><input type=\"text\" id=\"passkey-name\" name=\"name\" required maxlength=\"")
            .Append(Passkey.MaxNameLength).Append("\" placeholder=\"e.g. Work laptop\"")
            .Append(error is not null ? " aria-describedby=\"passkey-error\"" : "").Append("><button type=\"submit\">Add a passkey</button></form></section>")
            .Append("<p><a href=\"").Append(html.Encode(paths.Security)).Append("\">Back to second factors</a></p>");
        return Pages.Page("Passkeys", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, "'self'");
    }

    /// <summary>
    /// The page of one ceremony: <paramref name="create"/> for a registration (navigator.credentials.create), else an assertion
    /// (navigator.credentials.get). Its form posts the authenticator's answer to <paramref name="finishPath"/>; in the
    /// authorization flow the answer may redirect on to the client, so <paramref name="formTargets"/> (CSP form-action, which
    /// browsers apply to the redirects after a form post) names the client's redirect origin too.
    /// </summary>
    public static IResult Ceremony(string title, string text, bool create, string optionsJson, string csrfToken, string finishPath,
        IReadOnlyDictionary<string, string> hidden, string backPath, string formTargets = "'self'")
    {
        var html = Pages.Html;
        var nonce = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var body = new StringBuilder("<h1>").Append(html.Encode(title)).Append("</h1><p>").Append(html.Encode(text)).Append("</p>")
            .Append("<noscript><p role=\"alert\">Passkeys need JavaScript. Turn it on, or go back and use your password.</p></noscript>")
            .Append("<form method=\"post\" action=\"").Append(html.Encode(finishPath)).Append("\" id=\"passkey-form\" data-mode=\"")
            .Append(create ? "create" : "get").Append("\" data-options=\"").Append(html.Encode(optionsJson)).Append("\">");
        AccountPages.CsrfField(body, csrfToken);
        foreach (var (name, value) in hidden)
        {
            body.Append("<input type=\"hidden\" name=\"").Append(html.Encode(name)).Append("\" value=\"").Append(html.Encode(value)).Append("\">");
        }

        body.Append("<input type=\"hidden\" name=\"credential\" value=\"\"><button type=\"submit\">Continue with your passkey</button></form>")
            .Append("<p id=\"passkey-status\" role=\"status\"></p>")
            .Append("<p><a href=\"").Append(html.Encode(backPath)).Append("\">Cancel</a></p>")
            .Append("<script nonce=\"").Append(nonce).Append("\" src=\"").Append(html.Encode(ScriptPath)).Append("\"></script>");
        return Pages.Page(title, body.ToString(), StatusCodes.Status200OK, formTargets, nonce, scriptNonce: true);
    }

    /// <summary>
    /// The "Sign in with a passkey" link of a sign-in page (no username: a discoverable credential names the account). A link,
    /// not a second form: the ceremony page it opens changes nothing the person owns, and its own form carries the token.
    /// </summary>
    public static void SignInLink(StringBuilder body, string beginPath) =>
        body.Append("<p><a id=\"passkey-sign-in\" href=\"").Append(Pages.Html.Encode(beginPath)).Append("\">Sign in with a passkey</a></p>");

    private static void Form(StringBuilder body, string action, string csrfToken, string? id)
    {
        body.Append("<form method=\"post\" action=\"").Append(Pages.Html.Encode(action)).Append("\">");
        AccountPages.CsrfField(body, csrfToken);
        if (id is not null)
        {
            body.Append("<input type=\"hidden\" name=\"id\" value=\"").Append(id).Append("\">");
        }
    }

    private static string Date(DateTimeOffset value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
