using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthService.Application.Common.Interfaces;

namespace AuthService.Application.Common.Security;

/// <summary>
/// The X.509 certificate a client presented over mutual TLS (RFC 8705), directly at the TLS handshake or
/// through a trusted TLS-terminating proxy. Only the certificate (public data) is kept, never a key.
/// </summary>
public sealed class ClientCertificate
{
    public ClientCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Certificate = certificate;
        Thumbprint = ThumbprintOf(certificate.RawData);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>RFC 8705 §3.1 <c>x5t#S256</c>: base64url (no padding) of the SHA-256 of the DER certificate.</summary>
    public string Thumbprint { get; }

    /// <summary>The <c>cnf</c> that binds an access token to this certificate (RFC 8705 §3).</summary>
    public TokenConfirmation Confirmation => new(X5tS256: Thumbprint);

    public static string ThumbprintOf(ReadOnlySpan<byte> der) => Base64Url.EncodeToString(SHA256.HashData(der));

    public override string ToString() => $"ClientCertificate {{ Subject = {Certificate.Subject}, x5t#S256 = {Thumbprint} }}";
}

/// <summary>
/// Checks the certificate of a client registered for <c>tls_client_auth</c> (RFC 8705 §2.1) or
/// <c>self_signed_tls_client_auth</c> (§2.2).
/// </summary>
public interface IClientCertificateAuthenticator
{
    /// <summary>Why <paramref name="certificate"/> does not authenticate <paramref name="client"/>, or null when it does.</summary>
    ValueTask<string?> CheckAsync(ClientSnapshot client, ClientCertificate? certificate, CancellationToken cancellationToken);
}
