using AuthService.Application.Common.DPoP;
using AuthService.Application.Common.Interfaces;

namespace AuthService.WebApi.Protocol;

/// <summary>
/// Reads the <c>DPoP</c> request headers (RFC 9449 §4.1; header names are case-insensitive) and writes the
/// <c>DPoP-Nonce</c> response header (§8). The URL a proof must name is the configured issuer plus the endpoint's
/// path, never anything taken from the request (Host, X-Forwarded-*; RFC 9449 §4.3 item 9, RFC 9700 §4.13).
/// </summary>
public static class DPoPHeaders
{
    public static DPoPPresentation Read(HttpContext http, string endpointPath)
    {
        var issuer = http.RequestServices.GetRequiredService<IIssuerProvider>();
        var values = http.Request.Headers[DPoPPresentation.HeaderName];
        return new DPoPPresentation([.. values.Select(value => value ?? "")], http.Request.Method, issuer.Url(endpointPath));
    }

    /// <summary>A fresh server nonce on the response (RFC 9449 §8: on errors asking for one, and on successes to keep it current).</summary>
    public static void AddNonce(HttpContext http)
    {
        var nonces = http.RequestServices.GetRequiredService<IDPoPNonces>();
        http.Response.Headers[DPoPPresentation.NonceHeaderName] = nonces.Current();
    }
}
