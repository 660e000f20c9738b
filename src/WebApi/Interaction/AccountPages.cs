using System.Text;
using AuthService.Application.Account.Queries.ViewAccount;
using AuthService.Application.Federation.Queries.ListSignInProviders;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The person's own account page (<c>/account</c>) and its sign-in, in the look and with the headers of <see cref="Pages"/>
/// (CSP with a nonce, <c>frame-ancestors 'none'</c>, <c>Cache-Control: no-store</c>); every form carries the anti-forgery token.
/// </summary>
public static class AccountPages
{
    /// <summary>
    /// The account sign-in page; with a link to <paramref name="registerPath"/> when self-registration is on, and with
    /// <paramref name="magicLinkPath"/> (sign-in links switched on) "E-mail me a sign-in link".
    /// </summary>
    public static IResult SignIn(string csrfToken, string? username, bool failed, TimeSpan? retryAfter, string signInPath, string forgotPasswordPath,
        string? registerPath = null, string? magicLinkPath = null, IReadOnlyList<SignInProvider>? providers = null, Func<string, string>? challengePath = null)
    {
        var body = new StringBuilder("<h1>Sign in</h1><p>to manage your account</p>");
        Pages.SignInForm(body, username, failed, retryAfter, signInPath, hidden => CsrfField(hidden, csrfToken), forgotPasswordPath);
        PasskeyPages.SignInLink(body, signInPath + PasskeyPages.PathSuffix);
        if (registerPath is not null)
        {
            SignUpPages.Link(body, registerPath);
        }

        EmailPages.MagicLinkLink(body, magicLinkPath);
        FederationPages.Buttons(body, providers, FederationPages.AccountPurpose, challengePath ?? Application.Federation.FederationPaths.Challenge,
            hidden => CsrfField(hidden, csrfToken));

        return Pages.Page("Sign in", body.ToString(), failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, FederationPages.FormTargets("'self'", providers));
    }

    /// <summary>The account sign-in's second step.</summary>
    public static IResult SecondFactor(string csrfToken, bool failed, TimeSpan? retryAfter, string path, Application.SignIn.SecondFactorOffer offer)
    {
        var body = new StringBuilder("<h1>Second step</h1><p>to manage your account</p>");
        Pages.SecondFactorForm(body, failed, retryAfter, path, hidden => CsrfField(hidden, csrfToken), offer, path + PasskeyPages.PathSuffix);
        return Pages.Page("Second step", body.ToString(), failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, "'self'");
    }

    /// <param name="upstreamOrigins">
    /// Origins the page's forms may end up on after a redirect (the "Link ..." forms' upstreams): browsers check the
    /// redirect that follows a form's post against the CSP <c>form-action</c> (CSP Level 3 §6.4.1).
    /// </param>
    public static IResult Account(AccountView account, string csrfToken, string? status, string securityPath, string signOutPath,
        Action<StringBuilder>? sections = null, IEnumerable<string>? upstreamOrigins = null)
    {
        var html = Pages.Html;
        var body = new StringBuilder("<h1>Your account</h1>");
        if (status is not null)
        {
            body.Append("<p class=\"status\" role=\"status\">").Append(html.Encode(status)).Append("</p>");
        }

        // The profile form and the apps (AccountSections) when given, else the profile read-only.
        if (sections is not null)
        {
            sections(body);
        }
        else
        {
            body.Append("<section aria-labelledby=\"profile-heading\"><h2 id=\"profile-heading\">Profile</h2><dl>")
                .Append("<dt>Username</dt><dd id=\"username\">").Append(html.Encode(account.Username)).Append("</dd>")
                .Append("<dt>Name</dt><dd id=\"name\">").Append(html.Encode(account.Name ?? "—")).Append("</dd>")
                .Append("<dt>E-mail</dt><dd id=\"email\">").Append(html.Encode(account.Email ?? "—"))
                .Append(account.Email is null ? "" : account.EmailVerified ? " (verified)" : " (not verified)").Append("</dd></dl></section>");
        }

        body.Append("<nav aria-label=\"Account\"><ul><li><a href=\"").Append(html.Encode(securityPath)).Append("\">Second factors</a></li></ul></nav>")
            .Append("<form method=\"post\" action=\"").Append(html.Encode(signOutPath)).Append("\">");
        CsrfField(body, csrfToken);
        body.Append("<button type=\"submit\">Sign out</button></form>");
        var formAction = string.Join(' ', new[] { "'self'" }.Concat((upstreamOrigins ?? []).Distinct(StringComparer.Ordinal)));
        return Pages.Page("Your account", body.ToString(), StatusCodes.Status200OK, formAction);
    }

    internal static void CsrfField(StringBuilder body, string csrfToken) =>
        body.Append("<input type=\"hidden\" name=\"").Append(BrowserCookies.CsrfField).Append("\" value=\"").Append(Pages.Html.Encode(csrfToken)).Append("\">");
}
