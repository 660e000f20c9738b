using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Common;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// The cookies of the browser pages (ASVS 3.3): the session handle, the anti-forgery token, and the handle of a
/// sign-in waiting for its second factor (no session yet). All
/// HttpOnly, Path=/, no Domain, SameSite=Lax (the session must reach the authorization endpoint on a
/// top-level navigation from the client; cross-site POSTs carry neither). When the issuer is https they
/// are Secure and carry the <c>__Host-</c> prefix, so no subdomain can plant or overwrite them. The
/// decision follows the issuer, not the request scheme, so a TLS-terminating proxy does not downgrade it.
/// </summary>
public sealed class BrowserCookies(IIssuerProvider issuer)
{
    public const string CsrfField = "csrf_token";

    private bool Secure => issuer.Issuer.StartsWith("https://", StringComparison.Ordinal);

    public string SessionCookieName => Secure ? "__Host-authservice-session" : "authservice-session";

    public string CsrfCookieName => Secure ? "__Host-authservice-csrf" : "authservice-csrf";

    public string PendingSignInCookieName => Secure ? "__Host-authservice-pending" : "authservice-pending";

    public string? SessionHandle(HttpRequest request) => request.Cookies[SessionCookieName];

    public string? PendingSignInHandle(HttpRequest request) => request.Cookies[PendingSignInCookieName];

    /// <summary>The pending sign-in's handle; it lives as long as the pending sign-in at most (the server decides anyway).</summary>
    public void SetPendingSignIn(HttpResponse response, string handle)
    {
        var options = Options();
        options.MaxAge = Domain.Sessions.PendingSignIn.Lifetime;
        response.Cookies.Append(PendingSignInCookieName, handle, options);
    }

    public void ClearPendingSignIn(HttpResponse response) => response.Cookies.Delete(PendingSignInCookieName, Options());

    public void SetSession(HttpResponse response, string handle) => response.Cookies.Append(SessionCookieName, handle, Options());

    public void ClearSession(HttpResponse response) => response.Cookies.Delete(SessionCookieName, Options());

    /// <summary>The anti-forgery token for a form: the cookie's value when it has a well-formed one, else a new one (set on the response).</summary>
    public string CsrfTokenFor(HttpContext http)
    {
        if (http.Request.Cookies[CsrfCookieName] is { Length: OpaqueToken.HashLength } existing)
        {
            return existing;
        }

        var token = OpaqueToken.New();
        http.Response.Cookies.Append(CsrfCookieName, token, Options());
        return token;
    }

    /// <summary>
    /// Double submit (OWASP CSRF cheat sheet): the form field must equal the cookie, which another site
    /// can neither read nor set, nor send along on a cross-site POST (RFC 6749 §10.12). Compared in constant time.
    /// </summary>
    public bool HasValidCsrfToken(HttpRequest request, string? formValue) =>
        request.Cookies[CsrfCookieName] is { Length: OpaqueToken.HashLength } cookie
        && formValue is { Length: OpaqueToken.HashLength }
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(formValue));

    private CookieOptions Options() => new()
    {
        HttpOnly = true,
        Secure = Secure,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };
}
