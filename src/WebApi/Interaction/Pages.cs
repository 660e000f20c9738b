using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using AuthService.Application.Authorization;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Federation.Queries.ListSignInProviders;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The server-rendered pages: sign-in, consent, error, form_post response, sign-out. Plain HTML forms that
/// work without JavaScript, labelled fields in a natural focus order, a viewport for phones. Every page:
/// <c>Cache-Control: no-store</c>, a CSP with a per-response nonce for its one style block and nothing
/// else (no third-party resources, <c>object-src 'none'</c>, <c>base-uri 'none'</c>,
/// <c>frame-ancestors 'none'</c>; RFC 9700 §4.16), and <c>form-action</c> limited to this server and, where
/// the flow continues to the client, the client's redirect origin (browsers apply it to the redirects
/// that follow a form submission). Every value is HTML-encoded.
/// </summary>
public static class Pages
{
    internal static readonly HtmlEncoder Html = HtmlEncoder.Default;

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f5f7;color:#1d2129}
        main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 4px rgba(0,0,0,.12)}
        h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:1rem 0 .3rem;font-weight:600}
        input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #8a8f98;border-radius:.3rem}
        button{margin-top:1.4rem;padding:.65rem 1.2rem;font-size:1rem;border-radius:.3rem;border:1px solid #1a56db;background:#1a56db;color:#fff;cursor:pointer}
        button.secondary{background:#fff;color:#1a56db;margin-left:.5rem}
        .error{color:#a4161a;background:#fdecea;padding:.6rem;border-radius:.3rem}ul{padding-left:1.2rem}li{margin:.3rem 0}
        @media (max-width:30rem){main{margin:0;border-radius:0;box-shadow:none}}
        """;

    private static readonly IReadOnlyDictionary<string, string> ScopeDescriptions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["openid"] = "Sign you in and know who you are",
        ["profile"] = "See your name and username",
        ["email"] = "See your e-mail address",
        ["offline_access"] = "Stay connected when you are not using the application",
        ["tenant"] = "Know which of your organisations you act for, and your roles in it",
        ["tenant_admin"] = "Manage the organisations you administer (their settings, members and invitations)",
    };

    /// <summary>
    /// The authorization flow's sign-in page; with <paramref name="magicLinkPath"/> (sign-in links switched on) "E-mail me a
    /// sign-in link", whose form carries the request as the passkey page does.
    /// </summary>
    public static IResult SignIn(AuthorizationRequest request, string csrfToken, string? username, bool failed, TimeSpan? retryAfter, string signInPath,
        string forgotPasswordPath, string? magicLinkPath = null, IReadOnlyList<SignInProvider>? providers = null, Func<string, string>? challengePath = null,
        TenantSignInNotice? tenantNotice = null)
    {
        var body = new StringBuilder();
        body.Append("<h1>Sign in</h1>");
        body.Append("<p>to continue to <strong>").Append(Html.Encode(request.Client.ClientName)).Append("</strong></p>");
        if (tenantNotice is not null)
        {
            // docs/adr/0038: the chosen tenant does not take the way this session signed in.
            body.Append("<p class=\"error\" role=\"alert\" id=\"tenant-sign-in-notice\"><strong>").Append(Html.Encode(tenantNotice.TenantDisplayName))
                .Append("</strong> requires you to sign in with ").Append(Html.Encode(string.Join(" or ", tenantNotice.AllowedMethods.Select(SignInMethodName))))
                .Append(". Sign in again that way to continue.</p>");
        }
        SignInForm(body, username, failed, retryAfter, signInPath, hidden => HiddenFields(hidden, request.Parameters, csrfToken), forgotPasswordPath);
        PasskeyPages.SignInLink(body, PasskeyPages.PathWithRequest(signInPath + PasskeyPages.PathSuffix, request.Parameters));
        EmailPages.MagicLinkLink(body, magicLinkPath is null ? null : PasskeyPages.PathWithRequest(magicLinkPath, request.Parameters));
        FederationPages.Buttons(body, providers, FederationPages.AuthorizationPurpose, challengePath ?? Application.Federation.FederationPaths.Challenge,
            hidden => HiddenFields(hidden, request.Parameters, csrfToken));
        return Page("Sign in", body.ToString(), failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK,
            FederationPages.FormTargets(FormTargets(request.RedirectUri), providers));
    }

    public static IResult Consent(AuthorizationRequest request, string userDisplayName, string csrfToken, string consentPath)
    {
        var body = new StringBuilder();
        body.Append("<h1>Allow access?</h1>");
        if (request.Client.IsMetadataDocumentClient)
        {
            MetadataDocumentClientNotice(body, request.RedirectUri);
        }

        body.Append("<p><strong>").Append(Html.Encode(request.Client.ClientName)).Append("</strong> (")
            .Append(Html.Encode(request.Client.ClientId)).Append(") asks to:</p>");
        if (request.Client.RegistrationSource == Domain.Clients.RegistrationSource.Dynamic)
        {
            // ASVS 10.4.7: a self-registered client is unverified; its name is whatever it chose.
            body.Insert(0, "<p class=\"warning\"><strong>Unverified application.</strong> It registered itself with this server; "
                + "nobody has checked its name. Allow only if you started this sign-in from it.</p>");
        }

        ScopeAndResourceList(body, request.Scopes, request.Resources);

        body.Append("<p>Signed in as ").Append(Html.Encode(userDisplayName)).Append(".</p>")
            .Append("<form method=\"post\" action=\"").Append(Html.Encode(consentPath)).Append("\">");
        HiddenFields(body, request.Parameters, csrfToken);
        body.Append("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>")
            .Append("<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>");
        return Page("Allow access?", body.ToString(), StatusCodes.Status200OK, FormTargets(request.RedirectUri));
    }

    /// <summary>
    /// The tenant picker (docs/adr/0038): one button per active tenant, by display name, posting its slug with the request
    /// and the anti-forgery token; the choice is checked again when posted and at the authorization endpoint.
    /// </summary>
    public static IResult TenantPicker(AuthorizationRequest request, IReadOnlyList<TenantOption> tenants, string csrfToken, string pickerPath)
    {
        var body = new StringBuilder();
        body.Append("<h1>Choose an organisation</h1>");
        body.Append("<p><strong>").Append(Html.Encode(request.Client.ClientName)).Append("</strong> asks which organisation you act for.</p>")
            .Append("<form method=\"post\" action=\"").Append(Html.Encode(pickerPath)).Append("\">");
        HiddenFields(body, request.Parameters, csrfToken);
        body.Append("<ul>");
        foreach (var tenant in tenants)
        {
            body.Append("<li><button type=\"submit\" name=\"").Append(OAuthParameters.Tenant).Append("\" value=\"").Append(Html.Encode(tenant.Slug)).Append("\">")
                .Append(Html.Encode(tenant.DisplayName)).Append("</button></li>");
        }

        body.Append("</ul></form>");
        return Page("Choose an organisation", body.ToString(), StatusCodes.Status200OK, FormTargets(request.RedirectUri));
    }

    private static string SignInMethodName(string method) => method switch
    {
        Domain.Tenants.TenantPolicy.Password => "a password",
        Domain.Tenants.TenantPolicy.Passkey => "a passkey",
        Domain.Tenants.TenantPolicy.Federation => "your organisation's identity provider",
        _ => method,
    };

    /// <summary>The device verification page's code form (RFC 8628 §3.3): a GET form, so the code ends up where <c>verification_uri_complete</c> puts it.</summary>
    public static IResult DeviceCode(bool failed, TimeSpan? retryAfter, string devicePath)
    {
        var body = new StringBuilder("<h1>Connect a device</h1>");
        if (failed)
        {
            body.Append("<p class=\"error\" role=\"alert\">")
                .Append(retryAfter is null
                    ? "That code is not valid, has expired or has already been used. Check the code shown on your device."
                    : "Too many wrong codes from your network. Wait a few minutes and try again.")
                .Append("</p>");
        }

        body.Append("<p>Enter the code shown on your device.</p>")
            .Append("<form method=\"get\" action=\"").Append(Html.Encode(devicePath)).Append("\">")
            .Append("<label for=\"user_code\">Code</label>")
            .Append("<input type=\"text\" id=\"user_code\" name=\"user_code\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" required autofocus>")
            .Append("<button type=\"submit\">Continue</button></form>");
        return Page("Connect a device", body.ToString(), failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, "'self'");
    }

    /// <summary>The device verification page's sign-in, carrying the code the person came with (to the sign-in link form too, when given).</summary>
    public static IResult DeviceSignIn(string? userCode, string csrfToken, string? username, bool failed, TimeSpan? retryAfter, string signInPath,
        string forgotPasswordPath, string? magicLinkPath = null, IReadOnlyList<SignInProvider>? providers = null, Func<string, string>? challengePath = null)
    {
        var body = new StringBuilder("<h1>Sign in</h1><p>to connect a device</p>");
        SignInForm(body, username, failed, retryAfter, signInPath, hidden => DeviceFields(hidden, userCode, csrfToken), forgotPasswordPath);
        PasskeyPages.SignInLink(body, PasskeyPages.PathWithUserCode(signInPath + PasskeyPages.PathSuffix, userCode));
        EmailPages.MagicLinkLink(body, magicLinkPath is null ? null : PasskeyPages.PathWithUserCode(magicLinkPath, userCode));
        FederationPages.Buttons(body, providers, FederationPages.DevicePurpose, challengePath ?? Application.Federation.FederationPaths.Challenge,
            hidden => DeviceFields(hidden, userCode, csrfToken));
        return Page("Sign in", body.ToString(), failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, FederationPages.FormTargets("'self'", providers));
    }

    /// <summary>
    /// The device consent: the client, the code, the scopes and resources, and RFC 8628 §5.4's warning (a person can be
    /// sent a code an attacker's device started: continue only for a device they hold). Always asked, never remembered.
    /// </summary>
    public static IResult DeviceConsent(Application.DeviceAuthorizations.DeviceConsent consent, string csrfToken, string devicePath)
    {
        var body = new StringBuilder("<h1>Connect a device?</h1>");
        body.Append("<p class=\"warning\" role=\"alert\"><strong>Only continue if you started this on a device you have with you</strong> "
            + "and it shows the code <strong>").Append(Html.Encode(consent.UserCode)).Append("</strong>. If someone sent you this code or link, "
            + "deny: allowing would give them access to your account.</p>");
        if (consent.Client.RegistrationSource == Domain.Clients.RegistrationSource.Dynamic)
        {
            body.Append("<p class=\"warning\"><strong>Unverified application.</strong> It registered itself with this server; nobody has checked its name.</p>");
        }

        body.Append("<p><strong>").Append(Html.Encode(consent.Client.ClientName)).Append("</strong> (")
            .Append(Html.Encode(consent.Client.ClientId)).Append(") asks to:</p>");
        ScopeAndResourceList(body, consent.Scopes, consent.Resources);
        body.Append("<p>Signed in as ").Append(Html.Encode(consent.UserDisplayName)).Append(".</p>")
            .Append("<form method=\"post\" action=\"").Append(Html.Encode(devicePath)).Append("\">");
        DeviceFields(body, consent.UserCode, csrfToken);
        body.Append("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>")
            .Append("<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>");
        return Page("Connect a device?", body.ToString(), StatusCodes.Status200OK, "'self'");
    }

    /// <summary>
    /// The second step of a sign-in: a code of the authenticator app or a backup code, and/or a passkey, as the person has
    /// them (<paramref name="offer"/>). One message for every failure (wrong, replayed, malformed, a refused passkey), as the
    /// password form has (ASVS 6.3.8). The field takes digits and backup codes alike (<c>autocomplete="one-time-code"</c>;
    /// no <c>inputmode</c> restriction, so a backup code can be typed). The passkey is a link to the ceremony page
    /// (<paramref name="passkeyPath"/>), which posts its answer to the same <paramref name="path"/>.
    /// </summary>
    internal static void SecondFactorForm(StringBuilder body, bool failed, TimeSpan? retryAfter, string path, Action<StringBuilder> hiddenFields,
        Application.SignIn.SecondFactorOffer offer, string passkeyPath)
    {
        var code = offer.Code || !offer.Passkey;
        if (failed)
        {
            body.Append("<p class=\"error\" role=\"alert\" id=\"code-error\">")
                .Append(retryAfter is not null
                    ? "Too many failed attempts from your network. Wait a few minutes and try again."
                    : code && offer.Passkey
                        ? "That did not work. Type the code your authenticator app shows now or an unused backup code, or use one of your passkeys."
                        : code
                            ? "That code is not right, or it was used already. Type the code your authenticator app shows now, or an unused backup code."
                            : "That did not work. Use one of the passkeys of your account.")
                .Append("</p>");
        }

        if (code)
        {
            body.Append("<form method=\"post\" action=\"").Append(Html.Encode(path)).Append("\">");
            hiddenFields(body);
            body.Append("<label for=\"code\">Code from your authenticator app, or a backup code</label>")
                .Append("<input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"one-time-code\" autocapitalize=\"characters\" spellcheck=\"false\" required autofocus")
                .Append(" maxlength=\"").Append(Application.SignIn.SecondFactorCodes.MaxLength).Append('"')
                .Append(failed ? " aria-describedby=\"code-error\"" : "").Append('>')
                .Append("<button type=\"submit\">Continue</button></form>");
        }

        if (offer.Passkey)
        {
            body.Append("<p><a id=\"passkey-second-factor\" href=\"").Append(Html.Encode(passkeyPath)).Append("\">")
                .Append(code ? "Use a passkey instead" : "Continue with your passkey").Append("</a></p>");
        }
    }

    /// <summary>The authorization flow's second step, carrying the request as the sign-in form does.</summary>
    public static IResult SecondFactor(AuthorizationRequest request, string csrfToken, bool failed, TimeSpan? retryAfter, string path,
        Application.SignIn.SecondFactorOffer offer)
    {
        var body = new StringBuilder("<h1>Second step</h1>");
        body.Append("<p>to continue to <strong>").Append(Html.Encode(request.Client.ClientName)).Append("</strong></p>");
        SecondFactorForm(body, failed, retryAfter, path, hidden => HiddenFields(hidden, request.Parameters, csrfToken), offer,
            PasskeyPages.PathWithRequest(path + PasskeyPages.PathSuffix, request.Parameters));
        return Page("Second step", body.ToString(), failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, FormTargets(request.RedirectUri));
    }

    /// <summary>The device verification page's second step, carrying the user code.</summary>
    public static IResult DeviceSecondFactor(string? userCode, string csrfToken, bool failed, TimeSpan? retryAfter, string path,
        Application.SignIn.SecondFactorOffer offer)
    {
        var body = new StringBuilder("<h1>Second step</h1><p>to connect a device</p>");
        SecondFactorForm(body, failed, retryAfter, path, hidden => DeviceFields(hidden, userCode, csrfToken), offer,
            PasskeyPages.PathWithUserCode(path + PasskeyPages.PathSuffix, userCode));
        return Page("Second step", body.ToString(), failed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, "'self'");
    }

    /// <summary>
    /// The sign-in form of every sign-in page: one message for every failure (ASVS 6.3.8), the page's hidden fields, username
    /// and password, and the link to the password reset (a plain link: it carries nothing of the request, no return URL).
    /// </summary>
    internal static void SignInForm(StringBuilder body, string? username, bool failed, TimeSpan? retryAfter, string signInPath, Action<StringBuilder> hiddenFields,
        string forgotPasswordPath)
    {
        if (failed)
        {
            body.Append("<p class=\"error\" role=\"alert\">")
                .Append(retryAfter is null
                    ? "The username or password is incorrect, or this account cannot sign in right now."
                    : "Too many failed attempts from your network, or too many sign-ins at once. Wait a few minutes and try again.")
                .Append("</p>");
        }

        body.Append("<form method=\"post\" action=\"").Append(Html.Encode(signInPath)).Append("\">");
        hiddenFields(body);
        body.Append("<label for=\"username\">Username or e-mail</label>")
            .Append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required")
            .Append(username is null ? " autofocus" : "").Append(" value=\"").Append(Html.Encode(username ?? "")).Append("\">")
            .Append("<label for=\"password\">Password</label>")
            .Append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required")
            .Append(username is null ? "" : " autofocus").Append('>')
            .Append("<button type=\"submit\">Sign in</button></form>")
            .Append("<p><a href=\"").Append(Html.Encode(forgotPasswordPath)).Append("\">Forgot your password?</a></p>");
    }

    private static void DeviceFields(StringBuilder body, string? userCode, string csrfToken)
    {
        body.Append("<input type=\"hidden\" name=\"").Append(BrowserCookies.CsrfField).Append("\" value=\"").Append(Html.Encode(csrfToken)).Append("\">");
        if (userCode is not null)
        {
            body.Append("<input type=\"hidden\" name=\"user_code\" value=\"").Append(Html.Encode(userCode)).Append("\">");
        }
    }

    /// <summary>The scopes in words, then the APIs (RFC 8707 §2.1) the access is for.</summary>
    private static void ScopeAndResourceList(StringBuilder body, IReadOnlyList<string> scopes, IReadOnlyList<RequestedResource> resources)
    {
        body.Append("<ul>");
        foreach (var scope in scopes)
        {
            body.Append("<li>").Append(Html.Encode(ScopeDescriptions.GetValueOrDefault(scope, $"Use “{scope}”"))).Append("</li>");
        }

        body.Append("</ul>");
        if (resources.Count > 0)
        {
            body.Append("<p>at:</p><ul>");
            foreach (var resource in resources)
            {
                body.Append("<li><strong>").Append(Html.Encode(resource.Name)).Append("</strong> (").Append(Html.Encode(resource.Resource)).Append(")</li>");
            }

            body.Append("</ul>");
        }
    }

    /// <summary>
    /// A client known only from its metadata document names itself: what the user can check is where the answer
    /// goes. The redirect URI's host is shown first, with a warning when it is a loopback address, which any
    /// program on the user's device can listen on (MCP authorization, client ID metadata documents).
    /// </summary>
    private static void MetadataDocumentClientNotice(StringBuilder body, string redirectUri)
    {
        var host = Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) ? uri.Host : redirectUri;
        body.Append("<p class=\"redirect-host\">You will be sent back to <strong>").Append(Html.Encode(host)).Append("</strong></p>");
        if (uri is not null && (uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)))
        {
            body.Append("<p class=\"warning\"><strong>Warning:</strong> this application receives your answer on this device (")
                .Append(Html.Encode(host)).Append("). Any program running on your device could be the one asking: allow only if you started it yourself.</p>");
        }

        body.Append("<p>This application is not registered with this server; it described itself at its address.</p>");
    }

    /// <summary>An error that cannot go back to a client (unknown client, bad redirect URI, forged form): shown here.</summary>
    public static IResult Error(OAuthError error, int statusCode = StatusCodes.Status400BadRequest)
    {
        var body = "<h1>Something went wrong</h1><p>The request could not be processed.</p><p><code>"
            + Html.Encode(error.Code) + "</code>: " + Html.Encode(error.Description) + "</p>";
        return Page("Error", body, statusCode, "'none'");
    }

    public static IResult Message(string title, string text, int statusCode = StatusCodes.Status200OK) =>
        Page(title, "<h1>" + Html.Encode(title) + "</h1><p>" + Html.Encode(text) + "</p>", statusCode, "'none'");

    /// <summary>
    /// A message with a way on (<paramref name="linkText"/> to <paramref name="linkPath"/>): where the person came from a page of
    /// this server and has somewhere to go back to, such as the account page after a link made from it.
    /// </summary>
    public static IResult Message(string title, string text, string linkPath, string linkText) =>
        Page(title, "<h1>" + Html.Encode(title) + "</h1><p>" + Html.Encode(text) + "</p><p><a id=\"onward\" href=\"" + Html.Encode(linkPath) + "\">"
            + Html.Encode(linkText) + "</a></p>", StatusCodes.Status200OK, "'none'");

    /// <summary>A page asking to confirm sign-out (OIDC RP-Initiated Logout §2: without a valid id_token_hint, ask first; ASVS 10.6.2).</summary>
    public static IResult ConfirmSignOut(IReadOnlyDictionary<string, string> parameters, string csrfToken, string endSessionPath)
    {
        var body = new StringBuilder("<h1>Sign out?</h1><p>Do you want to sign out of this server?</p>");
        body.Append("<form method=\"post\" action=\"").Append(Html.Encode(endSessionPath)).Append("\">");
        HiddenFields(body, parameters, csrfToken);
        body.Append("<input type=\"hidden\" name=\"confirm\" value=\"yes\"><button type=\"submit\">Sign out</button></form>");
        return Page("Sign out?", body.ToString(), StatusCodes.Status200OK, "'self'");
    }

    /// <summary>
    /// The signed-out page of OpenID Connect Front-Channel Logout 1.0 §2: one hidden iframe per client of the ended session
    /// that registered a <c>frontchannel_logout_uri</c>, <c>frame-src</c> exactly those origins. With a
    /// <paramref name="continueUrl"/> (the validated post_logout_redirect_uri), a nonce script goes on once every frame has
    /// loaded, or after <see cref="FrontchannelWait"/> when one does not; without JavaScript the link does.
    /// </summary>
    public static IResult FrontchannelSignedOut(IReadOnlyList<string> logoutUrls, string? continueUrl)
    {
        var nonce = NewNonce();
        var body = new StringBuilder("<h1>Signed out</h1><p>You have been signed out. Signing you out of the applications you used…</p>");
        foreach (var url in logoutUrls)
        {
            body.Append("<iframe hidden title=\"Application sign-out\" src=\"").Append(Html.Encode(url)).Append("\"></iframe>");
        }

        if (continueUrl is not null)
        {
            body.Append("<p><a id=\"continue\" href=\"").Append(Html.Encode(continueUrl)).Append("\">Continue</a></p>")
                .Append("<script nonce=\"").Append(nonce).Append("\">(function(){var frames=document.querySelectorAll('iframe'),left=frames.length,gone=false;")
                .Append("function go(){if(!gone){gone=true;location.replace(document.getElementById('continue').href);}}")
                .Append("frames.forEach(function(f){f.addEventListener('load',function(){if(--left===0){go();}});});")
                .Append("setTimeout(go,").Append((int)FrontchannelWait.TotalMilliseconds).Append(");})();</script>");
        }

        var frameSources = string.Join(' ', logoutUrls.Select(u => new Uri(u).GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.Ordinal));
        return Page("Signed out", body.ToString(), StatusCodes.Status200OK, "'none'", nonce, scriptNonce: continueUrl is not null, frameSources);
    }

    /// <summary>How long the front-channel signed-out page waits for a frame that does not load before it goes on.</summary>
    public static readonly TimeSpan FrontchannelWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The form_post response mode (OAuth 2.0 Form Post Response Mode §2): an auto-submitting form to the
    /// client's redirect URI, with a button for browsers without JavaScript.
    /// </summary>
    /// <summary>
    /// A page that navigates on to <paramref name="location"/> by itself, without script (a refresh pragma, HTML §4.2.5.3), with
    /// a link for a browser that does not follow it; the navigation is the page's own, not a redirect of a form post.
    /// </summary>
    public static IResult Continue(string location)
    {
        var target = Html.Encode(location);
        var body = "<meta http-equiv=\"refresh\" content=\"0;url=" + target + "\"><h1>Continuing…</h1><p><a id=\"continue\" href=\"" + target
            + "\">Continue</a></p>";
        return Page("Continuing", body, StatusCodes.Status200OK, "'none'");
    }

    public static IResult FormPost(string redirectUri, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var nonce = NewNonce();
        var body = new StringBuilder("<h1>Continuing…</h1><form method=\"post\" id=\"response\" action=\"");
        body.Append(Html.Encode(redirectUri)).Append("\">");
        foreach (var (name, value) in parameters)
        {
            body.Append("<input type=\"hidden\" name=\"").Append(Html.Encode(name)).Append("\" value=\"").Append(Html.Encode(value)).Append("\">");
        }

        body.Append("<noscript><button type=\"submit\">Continue</button></noscript></form>")
            .Append("<script nonce=\"").Append(nonce).Append("\">document.getElementById('response').submit();</script>");
        return Page("Continuing", body.ToString(), StatusCodes.Status200OK, FormTargets(redirectUri), nonce, scriptNonce: true);
    }

    private static void HiddenFields(StringBuilder body, IReadOnlyDictionary<string, string> parameters, string csrfToken)
    {
        body.Append("<input type=\"hidden\" name=\"").Append(BrowserCookies.CsrfField).Append("\" value=\"").Append(Html.Encode(csrfToken)).Append("\">");
        body.Append("<input type=\"hidden\" name=\"").Append(PageForm.RequestField).Append("\" value=\"").Append(Html.Encode(InteractionForms.Encode(parameters))).Append("\">");
    }

    /// <summary>This server, and the origin of the client's redirect URI (any port for a loopback registration, RFC 8252 §7.3).</summary>
    internal static string FormTargets(string redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "'self'";
        }

        var origin = uri.IsLoopback && uri.Scheme == "http" ? $"{uri.Scheme}://{uri.Host}:*" : uri.GetLeftPart(UriPartial.Authority);
        return "'self' " + origin;
    }

    internal static IResult Page(string title, string body, int statusCode, string formAction, string? nonce = null, bool scriptNonce = false, string? frameSources = null)
    {
        nonce ??= NewNonce();
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"referrer\" content=\"no-referrer\">"
            + "<title>" + Html.Encode(title) + " · AuthService</title>"
            + "<style nonce=\"" + nonce + "\">" + Style + "</style></head><body><main>" + body + "</main></body></html>";
        var policy = "default-src 'none'; style-src 'nonce-" + nonce + "'"
            + (scriptNonce ? "; script-src 'nonce-" + nonce + "'" : "")
            + (frameSources is null ? "" : "; frame-src " + frameSources)
            + "; img-src 'self'; form-action " + formAction + "; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
        return new PageResult(statusCode, html, policy);
    }

    private static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    private sealed class PageResult(int statusCode, string html, string policy) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = statusCode;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.Pragma = "no-cache";
            response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
            response.Headers.ContentSecurityPolicy = policy; // kept by the security-headers middleware
            var bytes = Encoding.UTF8.GetBytes(html);
            response.ContentLength = bytes.Length;
            return response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
        }
    }
}
