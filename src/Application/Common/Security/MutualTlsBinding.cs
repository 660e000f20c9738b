using AuthService.Application.Common.Interfaces;

namespace AuthService.Application.Common.Security;

/// <summary>Certificate-bound access tokens at a protected resource (RFC 8705 §3).</summary>
public static class MutualTlsBinding
{
    /// <summary>
    /// RFC 8705 §3.1: a token carrying <c>cnf.x5t#S256</c> is accepted only over a mutual-TLS connection whose client
    /// certificate has that thumbprint; without the certificate, or with another, it is an invalid token (§3).
    /// A token without that member is not bound to a certificate.
    /// </summary>
    public static bool Accepts(ValidatedAccessToken token, string? presentedThumbprint) =>
        token.Confirmation?.X5tS256 is not { } bound || string.Equals(bound, presentedThumbprint, StringComparison.Ordinal);
}
