using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace AuthService.Integration.Tests.MutualTls;

/// <summary>
/// The certificates of the mutual-TLS tests, generated per run (RFC 8705 §2): a test CA and the client
/// certificates it issues, a self-signed client certificate, an expired one, one from another CA, and the
/// listener's server certificate. Every certificate with a key is re-imported from PKCS#12 so that TLS can use
/// it on every platform.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public const string ClientDn = "CN=mtls-client, O=AuthService Tests, C=DE";
    public const string ClientDns = "client.mtls.test";
    public const string OtherDn = "CN=someone-else, O=AuthService Tests, C=DE";

    public TestCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        Ca = CreateCa("AuthService Test CA", now);
        OtherCa = CreateCa("Some Other CA", now);
        Client = Issue(Ca, ClientDn, ClientDns, now.AddDays(-1), now.AddDays(30));
        OtherSubject = Issue(Ca, OtherDn, "other.mtls.test", now.AddDays(-1), now.AddDays(30));
        Expired = Issue(Ca, ClientDn, ClientDns, now.AddDays(-30), now.AddDays(-1));
        FromOtherCa = Issue(OtherCa, ClientDn, ClientDns, now.AddDays(-1), now.AddDays(30));
        SelfSigned = CreateSelfSigned("CN=self-signed-client", now);
        OtherSelfSigned = CreateSelfSigned("CN=self-signed-client", now);
        Server = CreateServer(now);
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 OtherCa { get; }

    /// <summary>Issued by <see cref="Ca"/> to <see cref="ClientDn"/> with the SAN dNSName <see cref="ClientDns"/>.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>Issued by <see cref="Ca"/> to another subject and DNS name.</summary>
    public X509Certificate2 OtherSubject { get; }

    /// <summary>Like <see cref="Client"/>, but its validity ended yesterday.</summary>
    public X509Certificate2 Expired { get; }

    /// <summary>Same subject and SAN as <see cref="Client"/>, issued by <see cref="OtherCa"/>.</summary>
    public X509Certificate2 FromOtherCa { get; }

    public X509Certificate2 SelfSigned { get; }

    /// <summary>Same subject as <see cref="SelfSigned"/>, another key: not the registered certificate.</summary>
    public X509Certificate2 OtherSelfSigned { get; }

    /// <summary>The listener's certificate for localhost and 127.0.0.1 (self-signed; the tests do not verify it).</summary>
    public X509Certificate2 Server { get; }

    /// <summary>RFC 8705 §3.1: base64url SHA-256 of the DER certificate.</summary>
    public static string Thumbprint(X509Certificate2 certificate) => Base64Url.EncodeToString(SHA256.HashData(certificate.RawData));

    /// <summary>A JWK Set holding the public key of <paramref name="certificate"/> with the certificate as its x5c (RFC 7517 §4.7).</summary>
    public static JsonObject JwksWith(X509Certificate2 certificate)
    {
        var parameters = certificate.GetECDsaPublicKey()!.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "EC",
                ["crv"] = "P-256",
                ["x"] = Base64Url.EncodeToString(parameters.Q.X),
                ["y"] = Base64Url.EncodeToString(parameters.Q.Y),
                ["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)),
            }),
        };
    }

    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    private static X509Certificate2 CreateCa(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return Reload(request.CreateSelfSigned(now.AddDays(-60), now.AddYears(1)));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string dns, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dns);
        request.CertificateExtensions.Add(san.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, notBefore, notAfter, serial);
        return Reload(certificate.CopyWithPrivateKey(key));
    }

    private static X509Certificate2 CreateSelfSigned(string subject, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return Reload(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30)));
    }

    private static X509Certificate2 CreateServer(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        return Reload(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30)));
    }

    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
    }

    public void Dispose()
    {
        foreach (var certificate in new[] { Ca, OtherCa, Client, OtherSubject, Expired, FromOtherCa, SelfSigned, OtherSelfSigned, Server })
        {
            certificate.Dispose();
        }
    }
}
