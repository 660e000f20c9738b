using AuthService.Domain.Tenants;

namespace AuthService.Application.Tests.Fakes;

public sealed class InMemoryTenantRepository : ITenantRepository
{
    public List<Tenant> Tenants { get; } = [];

    public Task<Tenant?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Tenants.SingleOrDefault(t => t.Id == id));

    public Task<Tenant?> FindBySlugAsync(string slug, CancellationToken cancellationToken) => Task.FromResult(Tenants.SingleOrDefault(t => t.Slug == slug));

    public Task<IReadOnlyList<Tenant>> FindManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Tenant>>([.. Tenants.Where(t => ids.Contains(t.Id))]);

    public Task<IReadOnlyList<Tenant>> ListAsync(string? slugPrefix, TenantStatus? status, string? afterSlug, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Tenant>>([.. Tenants
            .Where(t => (slugPrefix is null || t.Slug.StartsWith(slugPrefix, StringComparison.Ordinal)) && (status is null || t.Status == status)
                && (afterSlug is null || string.CompareOrdinal(t.Slug, afterSlug) > 0))
            .OrderBy(t => t.Slug, StringComparer.Ordinal).Take(take)]);

    public void Add(Tenant tenant) => Tenants.Add(tenant);

    public void Remove(Tenant tenant) => Tenants.Remove(tenant);
}

public sealed class InMemoryTenantMembershipRepository : ITenantMembershipRepository
{
    public List<TenantMembership> Memberships { get; } = [];

    /// <summary>The tenants the active-membership reads join with; none set, those reads find nothing.</summary>
    public InMemoryTenantRepository? Tenants { get; init; }

    public Task<ActiveMembership?> FindActiveAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult(Active().Where(m => m.TenantId == tenantId && m.UserId == userId).Select(m => m.Membership).SingleOrDefault());

    public Task<IReadOnlyList<ActiveMembership>> ListActiveByUserAsync(Guid userId, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ActiveMembership>>([.. Active().Where(m => m.UserId == userId).Select(m => m.Membership)
            .OrderBy(m => m.Slug, StringComparer.Ordinal).Take(take)]);

    public Task<TenantMembership?> FindAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult(Memberships.SingleOrDefault(m => m.TenantId == tenantId && m.UserId == userId));

    public Task<IReadOnlyList<TenantMembership>> ListByTenantAsync(Guid tenantId, Guid? afterUserId, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TenantMembership>>([.. Memberships
            .Where(m => m.TenantId == tenantId && (afterUserId is null || m.UserId.CompareTo(afterUserId.Value) > 0)).OrderBy(m => m.UserId).Take(take)]);

    public Task<IReadOnlyList<TenantMembership>> ListByUserAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TenantMembership>>([.. Memberships.Where(m => m.UserId == userId)]);

    public Task<int> CountOtherOwnersAsync(Guid tenantId, Guid exceptUserId, CancellationToken cancellationToken) =>
        Task.FromResult(Memberships.Count(m => m.TenantId == tenantId && m.IsOwner && m.UserId != exceptUserId));

    public Task<bool> AnyForTenantAsync(Guid tenantId, CancellationToken cancellationToken) => Task.FromResult(Memberships.Any(m => m.TenantId == tenantId));

    public void Add(TenantMembership membership) => Memberships.Add(membership);

    public void Remove(TenantMembership membership) => Memberships.Remove(membership);

    private IEnumerable<(Guid TenantId, Guid UserId, ActiveMembership Membership)> Active() =>
        from m in Memberships
        join t in Tenants?.Tenants ?? [] on m.TenantId equals t.Id
        where t.Status == TenantStatus.Active
        select (m.TenantId, m.UserId, new ActiveMembership(t.Id, t.Slug, t.DisplayName, t.Policy, m.Roles));
}
