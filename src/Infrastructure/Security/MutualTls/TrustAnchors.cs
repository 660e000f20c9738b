using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security.MutualTls;

/// <summary>The CA certificates of <c>Auth:MutualTls:TrustedCaCertificates</c>, read once (RFC 8705 §2.1).</summary>
internal sealed class TrustAnchors(IOptions<MutualTlsOptions> options)
{
    private readonly Lazy<X509Certificate2Collection> _certificates = new(() => Load(options.Value.TrustedCaCertificates));

    public X509Certificate2Collection Certificates => _certificates.Value;

    private static X509Certificate2Collection Load(string? path)
    {
        var certificates = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(path))
        {
            certificates.ImportFromPemFile(path);
        }

        return certificates;
    }
}
