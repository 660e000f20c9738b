using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthService.ResourceServer.Tests.Infrastructure;

namespace AuthService.ResourceServer.Tests;

/// <summary>Certificate-bound access tokens (RFC 8705 §3): accepted only over a connection with that very certificate.</summary>
public sealed class CertificateBoundTokenTests : IAsyncLifetime
{
    private static readonly IPAddress Proxy = IPAddress.Parse("10.1.2.3");

    private readonly X509Certificate2 _clientCertificate = SelfSigned("CN=client");
    private readonly X509Certificate2 _otherCertificate = SelfSigned("CN=client");
    private FakeAuthority _authority = null!;
    private ProtectedApi _api = null!;
    private ProtectedApi _behindProxy = null!;

    public async Task InitializeAsync()
    {
        _authority = await FakeAuthority.StartAsync();
        _api = await ProtectedApi.StartAsync(_authority);
        _behindProxy = await ProtectedApi.StartAsync(_authority, o =>
        {
            o.ClientCertificate.ForwardedHeader = "X-Client-Cert";
            o.ClientCertificate.TrustedProxies = [Proxy.ToString()];
        });
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _behindProxy.DisposeAsync();
        await _authority.DisposeAsync();
        _clientCertificate.Dispose();
        _otherCertificate.Dispose();
    }

    private string BoundToken(ProtectedApi api) => Tokens.CertificateBound(_authority.Es256, api.Clock.GetUtcNow(), X5tS256(_clientCertificate));

    [Fact]
    public async Task The_token_is_accepted_over_a_connection_with_its_certificate()
    {
        var response = await _api.SendAsync("GET", "/orders", "Bearer " + BoundToken(_api), certificate: _clientCertificate);

        Assert.Equal(200, response.Status);
        Assert.Contains("\"binding\":\"mtls\"", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_certificate_or_with_another_one_the_token_is_refused()
    {
        var token = BoundToken(_api);

        (await _api.SendAsync("GET", "/orders", "Bearer " + token)).AssertError(401, "Bearer", "invalid_token");
        (await _api.SendAsync("GET", "/orders", "Bearer " + token, certificate: _otherCertificate)).AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task The_forwarded_header_is_not_read_unless_configured()
    {
        (await _api.SendAsync("GET", "/orders", "Bearer " + BoundToken(_api), remote: Proxy, header: ("X-Client-Cert", Pem(_clientCertificate))))
            .AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task Behind_a_proxy_the_certificate_in_its_header_is_used_as_URL_encoded_PEM_or_base64_DER()
    {
        var token = BoundToken(_behindProxy);

        Assert.Equal(200, (await _behindProxy.SendAsync("GET", "/orders", "Bearer " + token, remote: Proxy, header: ("X-Client-Cert", Uri.EscapeDataString(Pem(_clientCertificate))))).Status);
        Assert.Equal(200, (await _behindProxy.SendAsync("GET", "/orders", "Bearer " + token, remote: Proxy, header: ("X-Client-Cert", Convert.ToBase64String(_clientCertificate.RawData)))).Status);
        (await _behindProxy.SendAsync("GET", "/orders", "Bearer " + token, remote: Proxy, header: ("X-Client-Cert", Pem(_otherCertificate))))
            .AssertError(401, "Bearer", "invalid_token");
        (await _behindProxy.SendAsync("GET", "/orders", "Bearer " + token, remote: Proxy, header: ("X-Client-Cert", "garbage")))
            .AssertError(401, "Bearer", "invalid_token");
    }

    [Fact]
    public async Task Behind_a_proxy_the_header_from_any_other_address_and_the_connection_certificate_are_ignored()
    {
        var token = BoundToken(_behindProxy);

        (await _behindProxy.SendAsync("GET", "/orders", "Bearer " + token, remote: IPAddress.Parse("203.0.113.50"), header: ("X-Client-Cert", Pem(_clientCertificate))))
            .AssertError(401, "Bearer", "invalid_token");
        (await _behindProxy.SendAsync("GET", "/orders", "Bearer " + token, certificate: _clientCertificate, remote: Proxy))
            .AssertError(401, "Bearer", "invalid_token");
    }

    private static string X5tS256(X509Certificate2 certificate) => TestSigningKey.B64(SHA256.HashData(certificate.RawData));

    private static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }
}
