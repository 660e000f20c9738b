using System.Text;
using AuthService.Application.Account.Queries.ViewSecondFactors;
using QRCoder;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The account's second-factor page (<c>/account/security</c>) and the one-time page of new backup codes, in the look and
/// with the headers of <see cref="Pages"/>. The enrolment QR code is inline SVG (QRCoder): no image request, nothing for
/// the CSP to allow; the same secret is shown as text for manual entry, and the <c>otpauth://</c> URI (Key Uri Format)
/// as a link for an authenticator on the same device.
/// </summary>
public static class SecurityPages
{
    public sealed record Paths(string Account, string Begin, string Confirm, string Remove, string BackupCodes);

    public static IResult Security(SecondFactorsView view, string csrfToken, string? status, string? error, Paths paths)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>Second factors</h1>");
        if (status is not null)
        {
            body.Append("<p class=\"status\" role=\"status\">").Append(html.Encode(status)).Append("</p>");
        }

        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"security-error\">").Append(html.Encode(error)).Append("</p>");
        }

        if (view.TotpActive)
        {
            Active(body, view, csrfToken, paths, error is not null);
        }
        else if (view.Pending is { } pending)
        {
            Enrolling(body, pending, csrfToken, paths, error is not null);
        }
        else
        {
            body.Append("<section aria-labelledby=\"totp-heading\"><h2 id=\"totp-heading\">Authenticator app</h2>")
                .Append("<p>Not set up. With an authenticator app, signing in needs your password and a code from your phone.</p>");
            Form(body, paths.Begin, csrfToken);
            body.Append("<button type=\"submit\">Add an authenticator app</button></form></section>");
        }

        body.Append("<section aria-labelledby=\"passkeys-heading\"><h2 id=\"passkeys-heading\">Passkeys</h2>")
            .Append("<p id=\"passkeys-second-factor\">Each passkey counts as a second factor: when you sign in with your password, you are asked for a passkey ")
            .Append("(or a code from your authenticator app) next. A passkey also signs you in without a password.</p>")
            .Append("<p><a href=\"").Append(html.Encode(paths.Account + "/passkeys")).Append("\">Passkeys</a></p></section>");
        body.Append("<p><a href=\"").Append(html.Encode(paths.Account)).Append("\">Back to your account</a></p>");
        return Pages.Page("Second factors", body.ToString(), error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, "'self'");
    }

    /// <summary>The new backup codes, shown this once (only their hashes are kept).</summary>
    public static IResult BackupCodes(IReadOnlyList<string> codes, string securityPath)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>Your backup codes</h1>")
            .Append("<p role=\"status\">Write these down or print them now: they are shown only this once. Each works once, in place of a code from your app. ")
            .Append("Your previous backup codes no longer work.</p><ol id=\"backup-codes\">");
        foreach (var code in codes)
        {
            body.Append("<li><code>").Append(html.Encode(Domain.SecondFactors.BackupCodes.Format(code))).Append("</code></li>");
        }

        body.Append("</ol><p><a href=\"").Append(html.Encode(securityPath)).Append("\">Done</a></p>");
        return Pages.Page("Your backup codes", body.ToString(), StatusCodes.Status200OK, "'none'");
    }

    private static void Active(StringBuilder body, SecondFactorsView view, string csrfToken, Paths paths, bool failed)
    {
        body.Append("<section aria-labelledby=\"totp-heading\"><h2 id=\"totp-heading\">Authenticator app</h2>")
            .Append("<p id=\"totp-state\">Set up. Signing in asks for a code from your app after your password.</p></section>")
            .Append("<section aria-labelledby=\"backup-heading\"><h2 id=\"backup-heading\">Backup codes</h2>")
            .Append("<p id=\"backup-state\">").Append(view.BackupCodesLeft).Append(" unused backup code").Append(view.BackupCodesLeft == 1 ? "" : "s").Append(" left.</p>");
        Form(body, paths.BackupCodes, csrfToken);
        body.Append("<button type=\"submit\">").Append(view.BackupCodesLeft == 0 ? "Create backup codes" : "Create new backup codes").Append("</button></form></section>")
            .Append("<section aria-labelledby=\"remove-heading\"><h2 id=\"remove-heading\">Remove the authenticator app</h2>")
            .Append("<p>Removing it also removes your backup codes; signing in then needs your password only.</p>");
        Form(body, paths.Remove, csrfToken);
        CodeField(body, "remove-code", "Current code from your app, or a backup code", failed);
        body.Append("<button type=\"submit\" class=\"secondary\">Remove the authenticator app</button></form></section>");
    }

    private static void Enrolling(StringBuilder body, PendingTotp pending, string csrfToken, Paths paths, bool failed)
    {
        var html = Pages.Html;
        body.Append("<section aria-labelledby=\"totp-heading\"><h2 id=\"totp-heading\">Add an authenticator app</h2>")
            .Append("<ol><li>Scan this code with your authenticator app, or type the key below into it.</li>")
            .Append("<li>Type the six-digit code the app shows, to confirm.</li></ol>")
            .Append(QrSvg(pending.OtpAuthUri))
            .Append("<p>Key: <code id=\"totp-secret\">").Append(html.Encode(Grouped(pending.Base32Secret))).Append("</code></p>")
            .Append("<p><a id=\"totp-uri\" href=\"").Append(html.Encode(pending.OtpAuthUri)).Append("\">Open in an authenticator app on this device</a></p>");
        Form(body, paths.Confirm, csrfToken);
        CodeField(body, "confirm-code", "Six-digit code from your app", failed);
        body.Append("<button type=\"submit\">Confirm</button></form>");
        Form(body, paths.Remove, csrfToken);
        body.Append("<button type=\"submit\" class=\"secondary\">Cancel</button></form></section>");
    }

    private static void Form(StringBuilder body, string action, string csrfToken)
    {
        body.Append("<form method=\"post\" action=\"").Append(Pages.Html.Encode(action)).Append("\">");
        AccountPages.CsrfField(body, csrfToken);
    }

    private static void CodeField(StringBuilder body, string id, string label, bool failed) =>
        body.Append("<label for=\"").Append(id).Append("\">").Append(Pages.Html.Encode(label)).Append("</label>")
            .Append("<input type=\"text\" id=\"").Append(id).Append("\" name=\"code\" autocomplete=\"one-time-code\" autocapitalize=\"characters\" spellcheck=\"false\" required")
            .Append(" maxlength=\"").Append(Application.SignIn.SecondFactorCodes.MaxLength).Append('"')
            .Append(failed ? " autofocus aria-describedby=\"security-error\"" : "").Append('>');

    /// <summary>The secret in groups of four, as authenticator apps accept it (spaces are ignored there).</summary>
    private static string Grouped(string base32) =>
        string.Join(' ', Enumerable.Range(0, (base32.Length + 3) / 4).Select(i => base32.Substring(i * 4, Math.Min(4, base32.Length - i * 4))));

    /// <summary>The URI as a QR code in inline SVG (error correction M), labelled for screen readers.</summary>
    private static string QrSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return "<figure>" + svg[start..].Replace("<svg", "<svg role=\"img\" aria-label=\"QR code to scan with your authenticator app\"", StringComparison.Ordinal)
            + "</figure>";
    }
}
