using AuthService.Application.Common.Security;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Accepts exactly the certificate whose thumbprint it was given; refuses anything else, as the real check would.</summary>
public sealed class FakeClientCertificateAuthenticator(string? acceptedThumbprint = null) : IClientCertificateAuthenticator
{
    public ValueTask<string?> CheckAsync(ClientSnapshot client, ClientCertificate? certificate, CancellationToken cancellationToken) =>
        ValueTask.FromResult(certificate is not null && certificate.Thumbprint == acceptedThumbprint ? null : "certificate not accepted");
}
