using AuthService.Domain.Tenants;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class TenantRepository(AuthDbContext db) : ITenantRepository
{
    public Task<Tenant?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Tenants.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);

    public Task<Tenant?> FindBySlugAsync(string slug, CancellationToken cancellationToken) =>
        db.Tenants.SingleOrDefaultAsync(t => t.Slug == slug, cancellationToken);

    public async Task<IReadOnlyList<Tenant>> FindManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? [] : await db.Tenants.Where(t => ids.Contains(t.Id)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Tenant>> ListAsync(string? slugPrefix, TenantStatus? status, string? afterSlug, int take, CancellationToken cancellationToken)
    {
        var query = db.Tenants.AsNoTracking();
        if (slugPrefix is not null)
        {
            // StartsWith with a parameter: the provider escapes LIKE wildcards, and slugs hold none anyway.
            query = query.Where(t => t.Slug.StartsWith(slugPrefix));
        }

        if (status is { } wanted)
        {
            query = query.Where(t => t.Status == wanted);
        }

        if (afterSlug is not null)
        {
            query = query.Where(t => string.Compare(t.Slug, afterSlug) > 0);
        }

        return await query.OrderBy(t => t.Slug).Take(take).ToListAsync(cancellationToken);
    }

    public void Add(Tenant tenant) => db.Tenants.Add(tenant);

    public void Remove(Tenant tenant) => db.Tenants.Remove(tenant);
}

internal sealed class TenantMembershipRepository(AuthDbContext db) : ITenantMembershipRepository
{
    public Task<TenantMembership?> FindAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken) =>
        db.TenantMemberships.SingleOrDefaultAsync(m => m.TenantId == tenantId && m.UserId == userId, cancellationToken);

    public async Task<IReadOnlyList<TenantMembership>> ListByTenantAsync(Guid tenantId, Guid? afterUserId, int take, CancellationToken cancellationToken)
    {
        var query = db.TenantMemberships.AsNoTracking().Where(m => m.TenantId == tenantId);
        if (afterUserId is { } after)
        {
            query = query.Where(m => m.UserId.CompareTo(after) > 0);
        }

        return await query.OrderBy(m => m.UserId).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TenantMembership>> ListByUserAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.TenantMemberships.Where(m => m.UserId == userId).ToListAsync(cancellationToken);

    public async Task<ActiveMembership?> FindActiveAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken)
    {
        var found = await (from m in db.TenantMemberships.AsNoTracking()
                           where m.TenantId == tenantId && m.UserId == userId
                           join t in db.Tenants.AsNoTracking() on m.TenantId equals t.Id
                           where t.Status == TenantStatus.Active
                           select new { Membership = m, Tenant = t }).SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : ToActive(found.Tenant, found.Membership);
    }

    public async Task<IReadOnlyList<ActiveMembership>> ListActiveByUserAsync(Guid userId, int take, CancellationToken cancellationToken)
    {
        var found = await (from m in db.TenantMemberships.AsNoTracking()
                           where m.UserId == userId
                           join t in db.Tenants.AsNoTracking() on m.TenantId equals t.Id
                           where t.Status == TenantStatus.Active
                           orderby t.Slug
                           select new { Membership = m, Tenant = t }).Take(take).ToListAsync(cancellationToken);
        return [.. found.Select(x => ToActive(x.Tenant, x.Membership))];
    }

    public Task<int> CountOtherOwnersAsync(Guid tenantId, Guid exceptUserId, CancellationToken cancellationToken) =>
        db.TenantMemberships.CountAsync(m => m.TenantId == tenantId && m.IsOwner && m.UserId != exceptUserId, cancellationToken);

    public Task<bool> AnyForTenantAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.TenantMemberships.AnyAsync(m => m.TenantId == tenantId, cancellationToken);

    public void Add(TenantMembership membership) => db.TenantMemberships.Add(membership);

    public void Remove(TenantMembership membership) => db.TenantMemberships.Remove(membership);

    /// <summary>The read model of the token path (docs/adr/0038); both entities are read untracked, the token path changes neither.</summary>
    private static ActiveMembership ToActive(Tenant tenant, TenantMembership membership) =>
        new(tenant.Id, tenant.Slug, tenant.DisplayName, tenant.Policy, membership.Roles);
}

internal sealed class TenantInvitationRepository(AuthDbContext db) : ITenantInvitationRepository
{
    public Task<TenantInvitation?> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        db.TenantInvitations.SingleOrDefaultAsync(i => i.Id == id && i.TenantId == tenantId, cancellationToken);

    public Task<TenantInvitation?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        db.TenantInvitations.SingleOrDefaultAsync(i => i.TokenHash == tokenHash, cancellationToken);

    public async Task<IReadOnlyList<TenantInvitation>> ListByTenantAsync(Guid tenantId, Guid? afterId, int take, CancellationToken cancellationToken)
    {
        var query = db.TenantInvitations.AsNoTracking().Where(i => i.TenantId == tenantId);
        if (afterId is { } after)
        {
            query = query.Where(i => i.Id.CompareTo(after) > 0);
        }

        return await query.OrderBy(i => i.Id).Take(take).ToListAsync(cancellationToken);
    }

    public void Add(TenantInvitation invitation) => db.TenantInvitations.Add(invitation);
}
