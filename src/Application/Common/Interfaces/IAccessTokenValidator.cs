namespace AuthService.Application.Common.Interfaces;

/// <summary>The claims of an access token this server issued, after its signature and lifetime checked out.</summary>
public sealed record ValidatedAccessToken(
    string JwtId,
    string ClientId,
    string Subject,
    IReadOnlyList<string> Audiences,
    string? Scope,
    string Issuer,
    DateTimeOffset IssuedAt,
    DateTimeOffset? NotBefore,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The token's <c>cnf</c> (RFC 7800) when it is sender-constrained; such a token is never accepted as a bearer token.</summary>
    public TokenConfirmation? Confirmation { get; init; }
}

/// <summary>
/// Validates a JWT access token issued by this server: its own issuer, a published (not revoked) key,
/// an allowed algorithm, <c>typ: at+jwt</c>, unexpired. Does not consult the revocation denylist.
/// Returns null for anything else, whatever the reason: callers answer "inactive".
/// </summary>
public interface IAccessTokenValidator
{
    ValueTask<ValidatedAccessToken?> ValidateAsync(string token, CancellationToken cancellationToken);
}
