using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients;
using AuthService.Domain.Tenants;

namespace AuthService.Application.Tokens.Common;

/// <summary>
/// The tenant claims of a grant's tokens, read from the memberships NOW (docs/adr/0038 "The tenant in tokens"): the roles
/// are the current ones, and a grant whose tenant is gone for the person (membership removed, tenant suspended or
/// deleted) has <see cref="TenantGrantClaims.Ended"/>.
/// </summary>
public sealed class TenantClaimsReader(ITenantMembershipRepository memberships)
{
    /// <summary>
    /// The most slugs the <c>tenants</c> claim lists; a person in more tenants gets no <c>tenants</c> claim at all (a cut
    /// list would look complete), and keeps the <c>tenant</c> of the grant.
    /// </summary>
    public const int MaxTenantsClaim = 50;

    /// <summary>
    /// For a grant with <paramref name="tenantId"/> (or none) and the <paramref name="scopes"/> of this token request.
    /// The grant's membership is checked whenever it has a tenant, even when the request narrowed the <c>tenant</c> scope
    /// away: the grant was made for that tenant. When the ID token needs <c>tenants</c> the one bounded list read serves
    /// both (the grant's tenant is usually among the first <see cref="MaxTenantsClaim"/>); otherwise one read of the
    /// (tenant, user) index joined with the tenant, and none at all for a grant without a tenant and the scope.
    /// </summary>
    public async Task<TenantGrantClaims> ForGrantAsync(Guid? tenantId, Guid userId, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var wanted = scopes.Contains(ScopeRules.Tenant, StringComparer.Ordinal);
        IReadOnlyList<ActiveMembership>? listed = null;
        if (wanted && scopes.Contains(UserTokens.OpenId, StringComparer.Ordinal))
        {
            listed = await memberships.ListActiveByUserAsync(userId, MaxTenantsClaim + 1, cancellationToken);
        }

        ActiveMembership? active = null;
        if (tenantId is { } id)
        {
            active = listed?.FirstOrDefault(m => m.TenantId == id) ?? await memberships.FindActiveAsync(id, userId, cancellationToken);
            if (active is null)
            {
                return TenantGrantClaims.Ended;
            }
        }

        return wanted ? new TenantGrantClaims(false, ClaimsOf(active), Slugs(listed)) : TenantGrantClaims.None;
    }

    /// <summary>What UserInfo answers for a token with the <c>tenant</c> scope: the token's tenant if the person is still in it, and <c>tenants</c>.</summary>
    public async Task<TenantGrantClaims> ForUserInfoAsync(Guid? tenantId, Guid userId, CancellationToken cancellationToken)
    {
        var listed = await memberships.ListActiveByUserAsync(userId, MaxTenantsClaim + 1, cancellationToken);
        var active = tenantId is { } id
            ? listed.FirstOrDefault(m => m.TenantId == id) ?? await memberships.FindActiveAsync(id, userId, cancellationToken)
            : null;
        return new TenantGrantClaims(tenantId is not null && active is null, ClaimsOf(active), Slugs(listed));
    }

    private static TenantClaims? ClaimsOf(ActiveMembership? membership) =>
        membership is null ? null : new TenantClaims(membership.Slug, membership.TenantId, membership.Roles);

    private static IReadOnlyList<string>? Slugs(IReadOnlyList<ActiveMembership>? listed) =>
        listed is null || listed.Count > MaxTenantsClaim ? null : [.. listed.Select(m => m.Slug)];
}

/// <summary>
/// The tenant claims of a token: <see cref="Tenant"/> (null for none), <see cref="Tenants"/> (null to leave the claim out);
/// <see cref="HasEnded"/> when the grant's tenant is no longer the person's.
/// </summary>
public sealed record TenantGrantClaims(bool HasEnded, TenantClaims? Tenant, IReadOnlyList<string>? Tenants)
{
    public static readonly TenantGrantClaims None = new(false, null, null);

    public static readonly TenantGrantClaims Ended = new(true, null, null);
}
