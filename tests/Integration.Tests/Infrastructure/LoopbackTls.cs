using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// A test certificate authority made in the test, and a server certificate it issues for 127.0.0.1 and localhost
/// (P-256, serverAuth), for the local https servers that stand in for a client's web site (metadata documents).
/// AuthService trusts the CA through <c>Auth:OutboundFetch:TrustedCertificatesFile</c>.
/// </summary>
public sealed class LoopbackTls : IDisposable
{
    private LoopbackTls(X509Certificate2 ca, X509Certificate2 leaf, string leafKeyPem)
    {
        Ca = ca;
        Leaf = leaf;
        LeafKeyPem = leafKeyPem;
    }

    /// <summary>The CA's certificate (no private key).</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The server certificate, with its private key (for Kestrel's UseHttps).</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The server certificate's private key as PKCS#8 PEM (for a Node https server).</summary>
    public string LeafKeyPem { get; }

    public static LoopbackTls Create(string caName, TimeSpan validity)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.Add(validity));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = leafRequest.Create(ca, now.AddDays(-1), now.Add(validity), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(leafKey);

        return new LoopbackTls(
            X509CertificateLoader.LoadCertificate(ca.RawData),
            X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null),
            leafKey.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// A handler for a test's own client of an https server with <see cref="Leaf"/>: it trusts this CA alone (a chain built
    /// to it, the name checked as usual), not the machine's roots. The caller disposes it.
    /// </summary>
    public HttpClientHandler TrustingHandler()
    {
        var ca = X509CertificateLoader.LoadCertificate(Ca.RawData);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
    }

    public void WriteCaPem(string path) => File.WriteAllText(path, Ca.ExportCertificatePem());

    public void WriteLeafPem(string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, Leaf.ExportCertificatePem());
        File.WriteAllText(keyPath, LeafKeyPem);
    }

    public void Dispose()
    {
        Ca.Dispose();
        Leaf.Dispose();
    }
}
