using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace AuthService.ResourceServer.Certificates;

/// <summary>
/// The client certificate of a request, for certificate-bound tokens (RFC 8705 §3): the TLS connection's own, or,
/// when configured, the one a trusted TLS-terminating proxy forwards in a header. Only the certificate's SHA-256
/// thumbprint matters here: the binding is to that exact certificate (§3.1), whoever issued it.
/// </summary>
internal static class ClientCertificates
{
    /// <summary>RFC 8705 §3.1: <c>x5t#S256</c> is the base64url SHA-256 of the certificate's DER encoding.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => Base64Url.EncodeToString(SHA256.HashData(certificate.RawData));

    /// <summary>The thumbprint of the request's client certificate, or null when it has none (or it cannot be read).</summary>
    public static async Task<string?> ThumbprintAsync(HttpContext context, ClientCertificateOptions options)
    {
        if (options.ForwardedHeader is { } header)
        {
            // Behind the proxy, the connection's own certificate (if any) is the proxy's, not the client's.
            using var forwarded = FromTrustedProxy(context, header, options.TrustedProxies);
            return forwarded is null ? null : Thumbprint(forwarded);
        }

        var certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        return certificate is null ? null : Thumbprint(certificate);
    }

    private static X509Certificate2? FromTrustedProxy(HttpContext context, string header, string[] trustedProxies)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !trustedProxies.Any(proxy => IPAddress.Parse(proxy).Equals(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote)))
        {
            return null;
        }

        var values = context.Request.Headers[header];
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= 16 * 1024 } value)
        {
            return null;
        }

        try
        {
            var text = Uri.UnescapeDataString(value).Trim();
            return text.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return null;
        }
    }
}
