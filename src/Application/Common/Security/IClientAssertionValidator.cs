namespace AuthService.Application.Common.Security;

/// <summary>
/// Verifies a client assertion (RFC 7523 §3; OIDC Core §9) for the method <paramref name="client"/> registered:
/// private_key_jwt against its public keys, client_secret_jwt against its current secrets. The <c>jti</c> is
/// spent in the replay cache, so a verified assertion never authenticates twice.
/// </summary>
public interface IClientAssertionValidator
{
    /// <summary>Null when <paramref name="assertion"/> authenticates <paramref name="client"/>, else why not (for the security log: no secrets, no token text).</summary>
    Task<string?> ValidateAsync(ClientSnapshot client, string assertion, CancellationToken cancellationToken);
}
