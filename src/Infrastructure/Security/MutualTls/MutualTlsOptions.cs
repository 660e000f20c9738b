using System.Net;

namespace AuthService.Infrastructure.Security.MutualTls;

/// <summary>
/// The <c>Auth:MutualTls</c> section (RFC 8705): the optional listener that asks for client certificates, the
/// trust anchors of <c>tls_client_auth</c>, and the header of a trusted TLS-terminating proxy. Names are part of
/// the operator contract (PRODUCT.md). All absent: no mutual TLS, and discovery says nothing about it.
/// </summary>
public sealed class MutualTlsOptions
{
    public const string SectionName = "Auth:MutualTls";

    /// <summary>The https URL of the mutual-TLS listener, e.g. <c>https://0.0.0.0:5443</c>; the normal listener is unchanged.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// The base URL clients use for the mutual-TLS listener, published in <c>mtls_endpoint_aliases</c>; default: the
    /// issuer with https and the port of <see cref="Url"/>.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The listener's server certificate: a PKCS#12 (.pfx/.p12) file, or a PEM certificate with <see cref="CertificateKeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of a PEM <see cref="CertificatePath"/>.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The password of the PKCS#12 file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A PEM bundle of the CA certificates that <c>tls_client_auth</c> client certificates must chain to (RFC 8705 §2.1).</summary>
    public string? TrustedCaCertificates { get; set; }

    /// <summary>
    /// The request header in which a TLS-terminating proxy forwards the client certificate as URL-encoded PEM
    /// (nginx <c>$ssl_client_escaped_cert</c>). Read only from <see cref="TrustedProxies"/>.
    /// </summary>
    public string? CertificateHeader { get; set; }

    /// <summary>Comma-separated addresses or CIDR ranges of the proxies whose <see cref="CertificateHeader"/> is believed.</summary>
    public string? TrustedProxies { get; set; }

    /// <summary>True when clients can present certificates at all.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Url) || !string.IsNullOrWhiteSpace(CertificateHeader);

    /// <summary>The parsed <see cref="TrustedProxies"/>; null when one entry is not an address or range.</summary>
    public IReadOnlyList<IPNetwork>? ParseTrustedProxies() => TrustedNetworks.Parse(TrustedProxies);

    /// <summary>Why the section is unusable, or null. Checked at start, so a wrong setting refuses the start.</summary>
    public string? Problem()
    {
        if (!string.IsNullOrWhiteSpace(Url) && (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps))
        {
            return "Auth:MutualTls:Url must be an absolute https URL such as https://0.0.0.0:5443.";
        }

        if (!string.IsNullOrWhiteSpace(Url) && string.IsNullOrWhiteSpace(CertificatePath))
        {
            return "Auth:MutualTls:CertificatePath (the listener's server certificate) is required with Auth:MutualTls:Url.";
        }

        if (!string.IsNullOrWhiteSpace(PublicUrl) && (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var publicUrl) || publicUrl.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(publicUrl.Query) || !string.IsNullOrEmpty(publicUrl.Fragment)))
        {
            return "Auth:MutualTls:PublicUrl must be an absolute https URL without query or fragment.";
        }

        if (!string.IsNullOrWhiteSpace(TrustedCaCertificates) && !File.Exists(TrustedCaCertificates))
        {
            return "Auth:MutualTls:TrustedCaCertificates names a file that does not exist.";
        }

        if (ParseTrustedProxies() is not { } proxies)
        {
            return "Auth:MutualTls:TrustedProxies must be comma-separated IP addresses or CIDR ranges.";
        }

        if (!string.IsNullOrWhiteSpace(CertificateHeader) && proxies.Count == 0)
        {
            return "Auth:MutualTls:CertificateHeader needs Auth:MutualTls:TrustedProxies: without it any client could send a certificate it does not hold.";
        }

        return null;
    }
}
