namespace AuthService.Application.Common.Interfaces;

/// <summary>What goes into a JWT access token (RFC 9068 §2.2).</summary>
public sealed record AccessTokenDescriptor(
    string Subject,
    string ClientId,
    string Audience,
    IReadOnlyList<string> Scopes,
    DateTimeOffset IssuedAt,
    TimeSpan Lifetime)
{
    /// <summary>The key the token is bound to (<c>cnf</c>, RFC 7800), or null for a bearer token.</summary>
    public TokenConfirmation? Confirmation { get; init; }

    /// <summary>Every <c>aud</c> value (RFC 9068 §3): <see cref="Audience"/> alone unless the token is for several resources (RFC 8707).</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [Audience];

    /// <summary>The JWS algorithm to sign with (a protected resource's choice); null means the configured one.</summary>
    public string? Algorithm { get; init; }

    /// <summary>The actor of a delegated token (RFC 8693 §4.1 <c>act</c>), or null.</summary>
    public TokenActor? Actor { get; init; }

    /// <summary>The grant's tenant (docs/adr/0038; RFC 9068 §2.2 allows such claims), or null for none.</summary>
    public TenantClaims? Tenant { get; init; }

    /// <summary>
    /// The refresh token family the token is issued from (<c>fam</c>: <see cref="Domain.RefreshTokens.RefreshTokenFamily.AccessTokenKey"/>,
    /// an opaque value; RFC 9068 §2.2 allows further claims), or null when none: ending the family denies every token
    /// that names it (docs/adr/0040).
    /// </summary>
    public string? Family { get; init; }

    public const string FamilyClaim = "fam";
}

/// <summary>
/// A token's tenant (docs/adr/0038 "The tenant in tokens"): <c>tenant</c> (the slug, the stable key), <c>tenant_id</c> (the
/// id in GUID "D" form) and <c>tenant_roles</c> (the person's roles there, an array of strings).
/// </summary>
public sealed record TenantClaims(string Slug, Guid TenantId, IReadOnlyList<string> Roles)
{
    public const string TenantClaim = "tenant";
    public const string TenantIdClaim = "tenant_id";
    public const string TenantRolesClaim = "tenant_roles";

    /// <summary>The slugs of every active membership (ID token and UserInfo only).</summary>
    public const string TenantsClaim = "tenants";

    /// <summary>The three claims, ready for a JWT payload or a UserInfo answer.</summary>
    public void AddTo(IDictionary<string, object> claims)
    {
        claims[TenantClaim] = Slug;
        claims[TenantIdClaim] = TenantId.ToString("D");
        claims[TenantRolesClaim] = Roles.ToArray();
    }
}

public sealed record IssuedAccessToken(string Token, string JwtId, DateTimeOffset ExpiresAt, string KeyId);

/// <summary>Signs access tokens with the active key of the configured algorithm. In memory, no I/O.</summary>
public interface IAccessTokenIssuer
{
    IssuedAccessToken Issue(AccessTokenDescriptor descriptor);
}
