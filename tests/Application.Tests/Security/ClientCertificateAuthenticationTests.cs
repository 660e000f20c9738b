using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Clients;
using Microsoft.Extensions.Logging.Abstractions;
using static AuthService.Application.Tests.TestClients;

namespace AuthService.Application.Tests.Security;

/// <summary>How <see cref="ClientAuthenticator"/> dispatches certificate clients (RFC 8705 §2) and what a certificate does for the others.</summary>
public sealed class ClientCertificateAuthenticationTests : IDisposable
{
    private const string Remote = "203.0.113.9";

    private readonly X509Certificate2 _registered = SelfSigned("CN=registered");
    private readonly X509Certificate2 _other = SelfSigned("CN=other");
    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeThrottle _throttle = new();
    private readonly ClientAuthenticator _authenticator;

    public ClientCertificateAuthenticationTests()
    {
        _authenticator = new ClientAuthenticator(_catalog, _throttle, new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(new ClientCertificate(_registered).Thumbprint), new FakeTokenRateLimiter(),
            new FakeTimeProvider(TestClock.Start), NullLogger<ClientAuthenticator>.Instance);
        _catalog.Add(Client.Register("mtls", Service(TokenEndpointAuthMethods.TlsClientAuth) with { TlsClientAuthSubjectDn = "CN=registered" }, null, RegisteredAt));
        _catalog.Add(RegisterService("svc"));
    }

    private Task<ProtocolResult<ClientSnapshot>> Authenticate(string clientId, string? secret, PresentedAuthMethod method, X509Certificate2? certificate) =>
        _authenticator.AuthenticateAsync(
            new ClientCredentials(clientId, secret, method) { Certificate = certificate is null ? null : new ClientCertificate(certificate) }, Remote, CancellationToken.None);

    [Fact]
    public async Task A_tls_client_auth_client_is_authenticated_by_its_certificate()
    {
        var result = await Authenticate("mtls", null, PresentedAuthMethod.None, _registered);

        Assert.True(result.IsSuccess);
        Assert.Empty(_throttle.Failures);
    }

    [Fact]
    public async Task Another_certificate_or_none_is_invalid_client_and_counts_as_a_failure()
    {
        Assert.Equal("invalid_client", (await Authenticate("mtls", null, PresentedAuthMethod.None, _other)).Error?.Code);
        Assert.Equal("invalid_client", (await Authenticate("mtls", null, PresentedAuthMethod.None, null)).Error?.Code);
        Assert.Equal(2, _throttle.Failures.Count);
    }

    [Fact]
    public async Task A_certificate_client_sending_a_secret_is_refused_even_with_its_certificate()
    {
        var result = await Authenticate("mtls", "some-secret-0123456789", PresentedAuthMethod.ClientSecretPost, _registered);

        Assert.Equal("invalid_client", result.Error?.Code);
    }

    [Fact]
    public async Task A_secret_client_authenticates_with_its_secret_whatever_certificate_it_presents()
    {
        Assert.True((await Authenticate("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic, _other)).IsSuccess);
        Assert.Equal("invalid_client", (await Authenticate("svc", null, PresentedAuthMethod.None, _registered)).Error?.Code);
    }

    [Fact]
    public void The_confirmation_is_the_base64url_sha256_of_the_der_certificate()
    {
        var credentials = new ClientCredentials("svc", null, PresentedAuthMethod.None) { Certificate = new ClientCertificate(_registered) };

        var expected = Convert.ToBase64String(SHA256.HashData(_registered.RawData)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(expected, credentials.Confirmation!.X5tS256);
        Assert.Null(credentials.Confirmation.Jkt);
        Assert.Null(new ClientCredentials("svc", null, PresentedAuthMethod.None).Confirmation);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public void Dispose()
    {
        _registered.Dispose();
        _other.Dispose();
    }
}
