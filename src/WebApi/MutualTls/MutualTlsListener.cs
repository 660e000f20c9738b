using System.Net;
using System.Security.Cryptography.X509Certificates;
using AuthService.Infrastructure.Security.MutualTls;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace AuthService.WebApi.MutualTls;

/// <summary>
/// The optional mutual-TLS listener (RFC 8705): an extra HTTPS endpoint that asks every client for a certificate.
/// The TLS layer accepts any certificate, self-signed included; <see cref="ClientCertificateSource"/> hands it to the
/// client authentication, which decides per client (§2). The normal listener keeps its addresses and never asks.
/// </summary>
public static class MutualTlsListener
{
    public static void Configure(KestrelServerOptions kestrel, IConfiguration configuration)
    {
        var options = configuration.GetSection(MutualTlsOptions.SectionName).Get<MutualTlsOptions>();
        if (string.IsNullOrWhiteSpace(options?.Url))
        {
            return;
        }

        if (options.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        // Kestrel ignores the hosting URLs (--urls, ASPNETCORE_URLS) as soon as one endpoint is configured in code,
        // so the normal listener is bound here from the same settings, unchanged.
        BindHostingUrls(kestrel, configuration);

        var certificate = LoadServerCertificate(options);
        var url = new Uri(options.Url);
        Listen(kestrel, url.Host, url.Port, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;

            // RFC 8705 §2.1 and §2.2: whether a certificate authenticates a client depends on the client's
            // registration, so the handshake accepts any certificate (self-signed too) and the server decides later.
            https.ClientCertificateValidation = (_, _, _) => true;
        }));
    }

    private static void BindHostingUrls(KestrelServerOptions kestrel, IConfiguration configuration)
    {
        var urls = configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls))
        {
            var httpPorts = configuration["HTTP_PORTS"];
            urls = string.IsNullOrWhiteSpace(httpPorts)
                ? "http://localhost:5000"
                : string.Join(';', httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"http://*:{port}"));
        }

        foreach (var address in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BindingAddress.Parse))
        {
            var https = string.Equals(address.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);
            Listen(kestrel, address.Host, address.Port, listen =>
            {
                if (https)
                {
                    listen.UseHttps(); // the default certificate, as Kestrel would use for an https hosting URL
                }
            });
        }
    }

    private static void Listen(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (host is "*" or "+" or "0.0.0.0" or "[::]" || !IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            kestrel.ListenAnyIP(port, configure); // Kestrel binds a host name to every address too
        }
        else
        {
            kestrel.Listen(ip, port, configure);
        }
    }

    private static X509Certificate2 LoadServerCertificate(MutualTlsOptions options)
    {
        var path = options.CertificatePath!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException("Auth:MutualTls:CertificatePath names a file that does not exist.");
        }

        if (!string.IsNullOrWhiteSpace(options.CertificateKeyPath))
        {
            var pem = string.IsNullOrEmpty(options.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(path, options.CertificateKeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, options.CertificateKeyPath);

            // A PEM key is ephemeral; exported and re-imported as PKCS#12 so that SslStream can use it on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
    }
}
