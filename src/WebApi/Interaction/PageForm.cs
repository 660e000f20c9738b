using AuthService.Application.Common.Protocol;
using AuthService.WebApi.Protocol;

namespace AuthService.WebApi.Interaction;

/// <summary>
/// A post of one of this server's pages (sign-in, consent, sign-out confirmation): a form-encoded POST with a valid
/// anti-forgery token (else nothing changes: RFC 6749 §10.12), carrying the authorization request in one hidden field.
/// </summary>
public sealed record PageForm(ProtocolForm Form, Dictionary<string, string> Parameters)
{
    /// <summary>The hidden field that carries the request from page to page.</summary>
    public const string RequestField = "request";

    public static async Task<ProtocolResult<PageForm>> ReadAsync(HttpContext http, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await ProtocolForm.ReadAsync(http.Request, cancellationToken);
        if (!form.IsSuccess)
        {
            return form.Error;
        }

        var parameters = CarriedRequest(http, cookies, form.Value);
        return parameters.IsSuccess ? new PageForm(form.Value, parameters.Value) : parameters.Error;
    }

    /// <summary>A form of a page that carries no authorization request (the account pages): form-encoded, with a valid anti-forgery token (else nothing changes).</summary>
    public static async Task<ProtocolResult<ProtocolForm>> ReadGuardedAsync(HttpContext http, BrowserCookies cookies, CancellationToken cancellationToken)
    {
        var form = await ProtocolForm.ReadAsync(http.Request, cancellationToken);
        if (!form.IsSuccess)
        {
            return form.Error;
        }

        return cookies.HasValidCsrfToken(http.Request, form.Value[BrowserCookies.CsrfField]) ? form.Value : OAuthError.FormExpired;
    }

    /// <summary>The authorization request a page's form carries, once its anti-forgery token checks out.</summary>
    public static ProtocolResult<Dictionary<string, string>> CarriedRequest(HttpContext http, BrowserCookies cookies, ProtocolForm form) =>
        cookies.HasValidCsrfToken(http.Request, form[BrowserCookies.CsrfField])
            ? InteractionForms.Decode(form[RequestField])
            : OAuthError.FormExpired;
}
