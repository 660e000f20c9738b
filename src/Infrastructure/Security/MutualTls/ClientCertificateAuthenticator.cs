using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using AuthService.Infrastructure.Security.ClientKeys;

namespace AuthService.Infrastructure.Security.MutualTls;

/// <summary>
/// Mutual-TLS client authentication (RFC 8705 §2). The TLS layer accepted any certificate; the decision is made
/// here, per client, by the method it registered:
/// <list type="bullet">
/// <item><c>tls_client_auth</c> (§2.1): the certificate chains to a configured trust anchor, is within its validity
/// period, allows clientAuth if it restricts its key usage, and carries the registered subject DN or DNS SAN.</item>
/// <item><c>self_signed_tls_client_auth</c> (§2.2): no chain; the certificate is the first <c>x5c</c> element of one
/// of the client's registered keys.</item>
/// </list>
/// </summary>
internal sealed partial class ClientCertificateAuthenticator(TrustAnchors anchors, IClientKeyResolver keys, TimeProvider clock)
    : IClientCertificateAuthenticator
{
    private const string ClientAuthenticationEku = "1.3.6.1.5.5.7.3.2";

    public async ValueTask<string?> CheckAsync(ClientSnapshot client, ClientCertificate? certificate, CancellationToken cancellationToken)
    {
        if (certificate is null)
        {
            return "no client certificate presented over mutual TLS";
        }

        return client.TokenEndpointAuthMethod switch
        {
            TokenEndpointAuthMethods.TlsClientAuth => CheckPki(client, certificate.Certificate),
            TokenEndpointAuthMethods.SelfSignedTlsClientAuth => await CheckSelfSignedAsync(client, certificate, cancellationToken),
            _ => $"the registered method {client.TokenEndpointAuthMethod} does not use a certificate",
        };
    }

    private string? CheckPki(ClientSnapshot client, X509Certificate2 certificate)
    {
        if (anchors.Certificates.Count == 0)
        {
            return "no trust anchors are configured (Auth:MutualTls:TrustedCaCertificates)";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.Certificates);
        // Revocation (CRL/OCSP) is not checked: an operator revokes a client by disabling it or changing its DN.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = clock.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(certificate))
        {
            var statuses = string.Join(", ", chain.ChainStatus.Select(status => status.Status).Distinct());
            return $"certificate does not chain to a trust anchor or is outside its validity period ({statuses})";
        }

        // RFC 5280 §4.2.1.12: a certificate that restricts its purposes must allow TLS client authentication.
        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usage
            && !usage.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value == ClientAuthenticationEku))
        {
            return "certificate does not allow TLS client authentication (extended key usage)";
        }

        if (client.TlsClientAuthSubjectDn is { } subjectDn)
        {
            return SubjectMatches(subjectDn, certificate.SubjectName) ? null : "certificate subject DN differs from tls_client_auth_subject_dn";
        }

        if (client.TlsClientAuthSanDns is { } sanDns)
        {
            var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(san => san.EnumerateDnsNames());
            return names.Any(name => string.Equals(name, sanDns, StringComparison.OrdinalIgnoreCase))
                ? null
                : "no certificate SAN dNSName equals tls_client_auth_san_dns";
        }

        return "the client registered neither tls_client_auth_subject_dn nor tls_client_auth_san_dns";
    }

    /// <summary>
    /// RFC 8705 §2.1.2: the registered RFC 4514 string and the certificate's subject are compared as parsed DNs, RDN by RDN:
    /// the same attribute types in the same order, values equal ignoring case and insignificant spaces (RFC 4518 §2.6.1).
    /// </summary>
    internal static bool SubjectMatches(string registered, X500DistinguishedName subject)
    {
        X500DistinguishedName expected;
        try
        {
            expected = new X500DistinguishedName(registered); // parsed as the registration validated it
        }
        catch (CryptographicException)
        {
            return false;
        }

        var left = expected.EnumerateRelativeDistinguishedNames().ToList();
        var right = subject.EnumerateRelativeDistinguishedNames().ToList();
        return left.Count == right.Count && left.Zip(right).All(pair => RdnEquals(pair.First, pair.Second));
    }

    private static bool RdnEquals(X500RelativeDistinguishedName left, X500RelativeDistinguishedName right)
    {
        if (left.HasMultipleElements || right.HasMultipleElements)
        {
            return left.RawData.Span.SequenceEqual(right.RawData.Span);
        }

        return left.GetSingleElementType().Value == right.GetSingleElementType().Value
            && string.Equals(Normalize(left.GetSingleElementValue()), Normalize(right.GetSingleElementValue()), StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(string? value) => Spaces().Replace((value ?? "").Trim(), " ");

    /// <summary>RFC 8705 §2.2: the presented certificate, byte for byte, is one the client registered in its JWK Set's <c>x5c</c>.</summary>
    private async ValueTask<string?> CheckSelfSignedAsync(ClientSnapshot client, ClientCertificate certificate, CancellationToken cancellationToken)
    {
        var registered = await keys.ResolveAsync(client, kid: null, cancellationToken);
        foreach (var key in registered)
        {
            if (key.X5c.Count > 0 && TryThumbprint(key.X5c[0]) is { } thumbprint
                && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(thumbprint), System.Text.Encoding.ASCII.GetBytes(certificate.Thumbprint)))
            {
                return null;
            }
        }

        return registered.Count == 0 ? "the client has no registered keys" : "certificate matches no x5c of the client's registered keys";
    }

    private static string? TryThumbprint(string x5c)
    {
        // RFC 7517 §4.7: x5c elements are base64 (not base64url) DER.
        var der = new byte[x5c.Length];
        return Convert.TryFromBase64String(x5c, der, out var length) ? ClientCertificate.ThumbprintOf(der.AsSpan(0, length)) : null;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
