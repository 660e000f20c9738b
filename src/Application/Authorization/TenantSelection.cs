using AuthService.Domain.Tenants;

namespace AuthService.Application.Authorization;

/// <summary>Which tenant an authorization request's tokens carry (docs/adr/0038 "The tenant in tokens").</summary>
public abstract record TenantSelection
{
    /// <summary>The request has no <c>tenant</c> scope: no tenant claims, nothing to check.</summary>
    public sealed record NotAsked : TenantSelection;

    /// <summary>The person belongs to no active tenant and the request named none: no tenant claims (like <c>email</c> for an account without one).</summary>
    public sealed record NoMembership : TenantSelection;

    /// <summary>The tenant of the tokens: the one the request named, or the person's only one.</summary>
    public sealed record Chosen(ActiveMembership Membership) : TenantSelection;

    /// <summary>The request named a tenant that is unknown, suspended or not the person's: <c>access_denied</c>, never a silent other tenant.</summary>
    public sealed record Refused : TenantSelection;

    /// <summary>Several active memberships and none named: the person picks one.</summary>
    public sealed record Pick(IReadOnlyList<ActiveMembership> Options) : TenantSelection;

    /// <summary>The picker lists at most this many tenants (by slug); a person in more reaches the others through the <c>tenant</c> parameter.</summary>
    public const int MaxChoices = 200;

    /// <summary>Without a <c>tenant</c> parameter: none, the only one, or the picker.</summary>
    public static TenantSelection Among(IReadOnlyList<ActiveMembership> active) => active.Count switch
    {
        0 => new NoMembership(),
        1 => new Chosen(active[0]),
        _ => new Pick(active),
    };
}

/// <summary>Reads what <see cref="TenantSelection"/> decides on: the named tenant's membership, or the person's active memberships.</summary>
public sealed class TenantSelector(ITenantRepository tenants, ITenantMembershipRepository memberships)
{
    public async Task<TenantSelection> SelectAsync(AuthorizationRequest request, Guid userId, CancellationToken cancellationToken)
    {
        if (!request.WantsTenant)
        {
            return new TenantSelection.NotAsked();
        }

        if (request.TenantSlug is { } slug)
        {
            var membership = await FindBySlugAsync(slug, userId, cancellationToken);
            return membership is null ? new TenantSelection.Refused() : new TenantSelection.Chosen(membership);
        }

        return TenantSelection.Among(await memberships.ListActiveByUserAsync(userId, TenantSelection.MaxChoices, cancellationToken));
    }

    /// <summary>The person's membership of the active tenant named by <paramref name="slug"/>, or null (unknown, suspended, not a member).</summary>
    public async Task<ActiveMembership?> FindBySlugAsync(string slug, Guid userId, CancellationToken cancellationToken) =>
        await tenants.FindBySlugAsync(slug, cancellationToken) is { } tenant
            ? await memberships.FindActiveAsync(tenant.Id, userId, cancellationToken)
            : null;
}
