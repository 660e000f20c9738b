using AuthService.Domain.Federation;

namespace AuthService.Application.Federation;

/// <summary>
/// One upstream protocol (docs/adr/0037): OpenID Connect (discovery, code flow with PKCE, the ID token validated in full)
/// or OAuth 2.0 with a user-info URL (GitHub). The sign-in flow owns the browser round trip and its state; a protocol
/// only builds the upstream authorization URL and turns the upstream's answer into an identity, or a refusal.
/// </summary>
public interface IUpstreamProtocol
{
    ExternalProtocol Protocol { get; }

    /// <summary>
    /// The upstream authorization request's URL (RFC 6749 §4.1.1 with RFC 7636 S256 and, for OpenID Connect, the
    /// <c>nonce</c>). Throws <see cref="UpstreamUnavailableException"/> when the upstream's metadata cannot be had.
    /// </summary>
    Task<Uri> BuildAuthorizationUrlAsync(ExternalProvider provider, UpstreamChallenge challenge, CancellationToken cancellationToken);

    /// <summary>
    /// Redeems the code and validates what comes back; the caller has already matched the <c>state</c> to its own
    /// transaction, for this provider and this browser. Never throws for a bad answer: a refusal says why.
    /// </summary>
    Task<UpstreamOutcome> CompleteAsync(ExternalProvider provider, UpstreamCallback callback, CancellationToken cancellationToken);
}

/// <summary>What the flow fixes for one upstream round trip; <paramref name="RedirectUri"/> is this provider's own callback (RFC 9700 §4.4.2).</summary>
public sealed record UpstreamChallenge(Uri RedirectUri, string State, string Nonce, string CodeVerifier, string? LoginHint)
{
    /// <summary>Never prints the values that protect the round trip.</summary>
    public override string ToString() => $"UpstreamChallenge {{ RedirectUri = {RedirectUri} }}";
}

/// <summary>
/// The upstream's answer on the callback: every query or form parameter (<c>code</c>, <c>state</c>, <c>iss</c>,
/// <c>error</c>, Apple's <c>user</c>), and the round trip's own values from the flow's transaction.
/// </summary>
public sealed record UpstreamCallback(IReadOnlyDictionary<string, string> Parameters, Uri RedirectUri, string Nonce, string CodeVerifier)
{
    public override string ToString() => $"UpstreamCallback {{ RedirectUri = {RedirectUri} }}";
}

/// <summary>How an upstream round trip ended.</summary>
public abstract record UpstreamOutcome
{
    /// <summary>The person as the upstream vouches for them.</summary>
    public sealed record Authenticated(UpstreamIdentity Identity) : UpstreamOutcome;

    /// <summary>
    /// The person declined at the upstream (its <c>error</c> was <c>access_denied</c>), or the answer failed validation
    /// (<paramref name="Reason"/>: a short machine word for the audit log and the server log, never shown with secrets), or
    /// the upstream could not be reached (<paramref name="Unavailable"/>).
    /// </summary>
    public sealed record Refused(string Reason, bool Declined = false, bool Unavailable = false) : UpstreamOutcome;
}

/// <summary>
/// An upstream person: the stable <paramref name="Subject"/> (the key of the link), the address and whether the upstream
/// verified it (not yet whether this server trusts that: <see cref="ExternalProvider.TrustEmailVerified"/>), the name when
/// given, and the upstream's RFC 8176 <c>amr</c> values when it said them.
/// </summary>
public sealed record UpstreamIdentity(string Subject, string? Email, bool EmailVerified, string? Name, IReadOnlyList<string> Methods);

/// <summary>Metadata or keys of the upstream could not be fetched (down, timed out, refused): a clear error page, never a 500.</summary>
public sealed class UpstreamUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The <c>client_secret</c> this server presents at a provider's token endpoint: the stored secret decrypted, or for Apple
/// a fresh ES256 JWT signed with the team's key (Sign in with Apple REST API, "Creating the client secret"). Null when the
/// provider has no secret (a public client upstream: PKCE alone).
/// </summary>
public interface IUpstreamClientSecret
{
    Task<string?> ForTokenRequestAsync(ExternalProvider provider, CancellationToken cancellationToken);
}

/// <summary>Encrypts a provider's secret for storage, bound to the provider's name (docs/adr/0037).</summary>
public interface IExternalProviderSecrets
{
    byte[] Protect(string providerName, string secret);

    string Unprotect(string providerName, byte[] protectedValue);
}
