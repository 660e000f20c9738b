namespace AuthService.Application.Common.Interfaces;

/// <summary>What goes into an ID token (OIDC Core §2, §3.1.3.6).</summary>
public sealed record IdTokenDescriptor(
    string Subject,
    string ClientId,
    string Algorithm,
    DateTimeOffset IssuedAt,
    TimeSpan Lifetime,
    DateTimeOffset AuthTime,
    string? Nonce,
    string AccessToken,
    string? SessionId)
{
    /// <summary>RFC 8176 <c>amr</c> values of the sign-in (OIDC Core §2); none when not recorded, then neither <c>amr</c> nor <c>acr</c> is issued.</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    /// <summary>The grant's tenant (docs/adr/0038), or null for none.</summary>
    public TenantClaims? Tenant { get; init; }

    /// <summary>The <c>tenants</c> claim (slugs of the person's active tenants), or null to leave it out.</summary>
    public IReadOnlyList<string>? Tenants { get; init; }
}

/// <summary>What goes into a logout token (OpenID Connect Back-Channel Logout 1.0 §2.4).</summary>
public sealed record LogoutTokenDescriptor(string Subject, string SessionId, string ClientId, string Algorithm, DateTimeOffset IssuedAt, string TokenId);

/// <summary>Signs ID tokens with the active key of the client's algorithm. In memory, no I/O.</summary>
public interface IIdTokenIssuer
{
    string Issue(IdTokenDescriptor descriptor);

    /// <summary>A logout token for the client, signed with the key of its ID token algorithm.</summary>
    string IssueLogoutToken(LogoutTokenDescriptor descriptor);

    /// <summary>
    /// The claims of an ID token this server issued to some client, signature and issuer checked, lifetime
    /// not (an <c>id_token_hint</c> may have expired, OIDC RP-Initiated Logout §2). Null for anything else.
    /// </summary>
    ValueTask<IdTokenHint?> ReadHintAsync(string idToken, CancellationToken cancellationToken);
}

public sealed record IdTokenHint(string Subject, string ClientId, string? SessionId)
{
    /// <summary>The token's <c>exp</c>; an exchange (RFC 8693) accepts only an unexpired ID token.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The token's <c>iat</c>.</summary>
    public DateTimeOffset IssuedAt { get; init; }
}
