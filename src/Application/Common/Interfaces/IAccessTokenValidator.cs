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

    /// <summary>The current actor of a delegated token (RFC 8693 §4.1 <c>act</c>, nested for a chain), or null.</summary>
    public TokenActor? Actor { get; init; }

    /// <summary>The party allowed to act for the subject (RFC 8693 §4.4 <c>may_act</c>), or null when the token names none.</summary>
    public TokenActor? MayAct { get; init; }

    /// <summary>The token's <c>tenant_id</c> (docs/adr/0038): the tenant of the grant it came from, or null for none.</summary>
    public Guid? TenantId { get; init; }

    /// <summary>The token's <c>fam</c> (<see cref="AccessTokenDescriptor.Family"/>): the refresh token family it came from, or null.</summary>
    public string? Family { get; init; }
}

/// <summary>
/// An actor (RFC 8693 §4.1 <c>act</c>, §4.4 <c>may_act</c>): its <c>sub</c> and, for a chain, the actor before it.
/// Only the outermost actor is the current one; the nested ones are history, never used for access decisions (§4.1).
/// </summary>
public sealed record TokenActor(string Subject, TokenActor? Prior = null)
{
    /// <summary>A chain is bounded: a token carries at most this many actors, so a nested <c>act</c> cannot grow without limit.</summary>
    public const int MaxDepth = 8;

    public int Depth => 1 + (Prior?.Depth ?? 0);
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
