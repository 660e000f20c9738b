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

    public string FederationBindingCookieName => Secure ? "__Host-authservice-federation" : "authservice-federation";

    public string? SessionHandle(HttpRequest request) => request.Cookies[SessionCookieName];

    /// <summary>The browser-binding value of upstream round trips (docs/adr/0037 "The flow"): the callback must present it.</summary>
    public string? FederationBinding(HttpRequest request) => request.Cookies[FederationBindingCookieName];

    /// <summary>
    /// Set at the challenge, for as long as a round trip lives. SameSite=None on https: an upstream that answers with a
    /// cross-site form POST (Apple's form_post) would otherwise not get it sent (a Lax cookie travels only on top-level GET
    /// navigations); the state and this cookie together are the CSRF defence of the callback (RFC 6749 §10.12), and a cookie
    /// another site can send along is no weaker here, because that site does not know the state. Browsers refuse
    /// SameSite=None without Secure, so on plain http (a loopback development issuer) it is Lax, and form_post upstreams need https.
    /// </summary>
    public void SetFederationBinding(HttpResponse response, string binding)
    {
        var options = Options();
        options.SameSite = Secure ? SameSiteMode.None : SameSiteMode.Lax;
        options.MaxAge = Domain.Federation.ExternalSignIn.Lifetime;
        response.Cookies.Append(FederationBindingCookieName, binding, options);
    }

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

    /// <summary>
    /// The tenant invitation that sent this browser to sign in (docs/adr/0038 "Joining"): its link's token, so the account
    /// page takes the person back to the invitation once signed in, by any way. It holds a token, never an address: the page
    /// it leads to is this server's own fixed path (RFC 9700 §4.11.2, no open redirector). 30 minutes, read once.
    /// </summary>
    public string InvitationReturnCookieName => Secure ? "__Host-authservice-invitation" : "authservice-invitation";

    public static readonly TimeSpan InvitationReturnLifetime = TimeSpan.FromMinutes(30);

    public void SetInvitationReturn(HttpResponse response, string token)
    {
        var options = Options();
        options.MaxAge = InvitationReturnLifetime;
        response.Cookies.Append(InvitationReturnCookieName, token, options);
    }

    /// <summary>The invitation token to return to, if any; the cookie is deleted on the response in either case (used once).</summary>
    public string? TakeInvitationReturn(HttpContext http)
    {
        if (http.Request.Cookies[InvitationReturnCookieName] is not { } token)
        {
            return null;
        }

        http.Response.Cookies.Delete(InvitationReturnCookieName, Options());
        return token;
    }

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
