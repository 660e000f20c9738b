using System.Net;

namespace AuthService.ResourceServer;

/// <summary>
/// Where the TLS client certificate of a certificate-bound token's request comes from (RFC 8705 §3). By default,
/// the connection's own (<c>HttpContext.Connection.ClientCertificate</c>, when Kestrel terminates TLS and asks for
/// one). Behind a TLS-terminating proxy, a header the proxy sets.
/// </summary>
public sealed class ClientCertificateOptions
{
    /// <summary>
    /// The request header in which a TLS-terminating proxy forwards the client certificate: URL-encoded PEM (as
    /// nginx's <c>$ssl_client_escaped_cert</c>) or base64 DER. Null (the default): no header is read.
    /// </summary>
    public string? ForwardedHeader { get; set; }

    /// <summary>
    /// The addresses of the proxies allowed to set <see cref="ForwardedHeader"/>: the header is read only on
    /// connections from one of them, so a client that reaches the API directly cannot claim a certificate.
    /// Required when <see cref="ForwardedHeader"/> is set.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    internal IEnumerable<string> Problems()
    {
        if (ForwardedHeader is null)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(ForwardedHeader))
        {
            yield return "ClientCertificate:ForwardedHeader must be a header name when set.";
        }

        if (TrustedProxies.Length == 0)
        {
            yield return "ClientCertificate:TrustedProxies must list the proxies' addresses when ForwardedHeader is set.";
        }

        foreach (var proxy in TrustedProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return $"ClientCertificate:TrustedProxies: '{proxy}' is not an IP address.";
        }
    }
}
