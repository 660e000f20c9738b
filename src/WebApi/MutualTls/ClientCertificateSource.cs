using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthService.Application.Common.Security;
using AuthService.Infrastructure.Security;
using AuthService.Infrastructure.Security.MutualTls;
using AuthService.WebApi.Middleware;
using Microsoft.Extensions.Options;

namespace AuthService.WebApi.MutualTls;

/// <summary>
/// The client certificate of a request (RFC 8705): the one presented in the TLS handshake of the mutual-TLS
/// listener (the only listener that asks for one), or, behind a TLS-terminating proxy, the one the proxy forwards
/// in <c>Auth:MutualTls:CertificateHeader</c>. That header is believed only from <c>Auth:MutualTls:TrustedProxies</c>;
/// from anyone else it is ignored and logged, so a client cannot claim a certificate it does not hold. "From" is the TCP peer,
/// never an address from <c>X-Forwarded-For</c> (docs/adr/0045): a client cannot make itself a proxy by naming one.
/// </summary>
public sealed partial class ClientCertificateSource(IOptions<MutualTlsOptions> options, ILogger<ClientCertificateSource> logger)
{
    /// <summary>A PEM certificate is a few kilobytes; anything much larger is not one.</summary>
    private const int MaxHeaderLength = 16 * 1024;

    private readonly IReadOnlyList<IPNetwork> _trustedProxies = options.Value.ParseTrustedProxies() ?? [];
    private readonly string? _header = string.IsNullOrWhiteSpace(options.Value.CertificateHeader) ? null : options.Value.CertificateHeader;

    public ClientCertificate? Find(HttpContext http)
    {
        if (http.Connection.ClientCertificate is { } presented)
        {
            return new ClientCertificate(presented);
        }

        if (_header is null || http.Request.Headers[_header] is not { Count: > 0 } values)
        {
            return null;
        }

        var remote = ForwardedClientAddress.TcpPeer(http);
        if (remote is null || !TrustedNetworks.Contains(_trustedProxies, remote))
        {
            LogUntrustedHeader(logger, _header, remote?.ToString());
            return null;
        }

        if (values.Count != 1 || values[0] is not { Length: > 0 and <= MaxHeaderLength } value || Parse(value) is not { } certificate)
        {
            LogUnreadableHeader(logger, _header, remote.ToString());
            return null;
        }

        return new ClientCertificate(certificate);
    }

    /// <summary>nginx <c>$ssl_client_escaped_cert</c>: the PEM certificate, URL-encoded.</summary>
    private static X509Certificate2? Parse(string value)
    {
        try
        {
            return X509Certificate2.CreateFromPem(Uri.UnescapeDataString(value));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or UriFormatException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning,
        Message = "Security event client_certificate_header_untrusted: {Header} from {RemoteAddress}, not a trusted proxy, was ignored")]
    private static partial void LogUntrustedHeader(ILogger logger, string header, string? remoteAddress);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning,
        Message = "Security event client_certificate_header_invalid: {Header} from trusted proxy {RemoteAddress} is not one URL-encoded PEM certificate; ignored")]
    private static partial void LogUnreadableHeader(ILogger logger, string header, string remoteAddress);
}
