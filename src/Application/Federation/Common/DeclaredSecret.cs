using AuthService.Domain.Federation;

namespace AuthService.Application.Federation.Common;

/// <summary>How a declared provider secret (seed file or admin API) becomes the encrypted value the aggregate stores.</summary>
public static class DeclaredSecret
{
    /// <summary>
    /// The secret of <paramref name="declared"/> encrypted under the provider's name, or null to keep the stored one: when
    /// none is declared, or the declared one equals what <paramref name="existing"/> holds (so re-applying the same
    /// settings changes nothing and raises no audited update).
    /// </summary>
    public static byte[]? Protect(IExternalProviderSecrets secrets, string name, ExternalProviderMetadata declared, ExternalProvider? existing)
    {
        if (declared.Secret is not { } secret)
        {
            return null;
        }

        var unchanged = existing?.ProtectedSecret is { } stored && string.Equals(secrets.Unprotect(name, stored), secret, StringComparison.Ordinal);
        return unchanged ? null : secrets.Protect(name, secret);
    }
}
