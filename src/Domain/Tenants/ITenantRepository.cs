namespace AuthService.Domain.Tenants;

public interface ITenantRepository
{
    Task<Tenant?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>By slug, through its unique index.</summary>
    Task<Tenant?> FindBySlugAsync(string slug, CancellationToken cancellationToken);

    /// <summary>The tenants of <paramref name="ids"/> (one query by primary key).</summary>
    Task<IReadOnlyList<Tenant>> FindManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> tenants ordered by slug, strictly after <paramref name="afterSlug"/> when given.</summary>
    Task<IReadOnlyList<Tenant>> ListAsync(string? slugPrefix, TenantStatus? status, string? afterSlug, int take, CancellationToken cancellationToken);

    void Add(Tenant tenant);

    void Remove(Tenant tenant);
}

public interface ITenantMembershipRepository
{
    Task<TenantMembership?> FindAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> members of a tenant ordered by user id, strictly after <paramref name="afterUserId"/>.</summary>
    Task<IReadOnlyList<TenantMembership>> ListByTenantAsync(Guid tenantId, Guid? afterUserId, int take, CancellationToken cancellationToken);

    /// <summary>Every membership of a user (through the index on the user).</summary>
    Task<IReadOnlyList<TenantMembership>> ListByUserAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>How many owners the tenant has besides <paramref name="exceptUserId"/>.</summary>
    /// <summary>The person's membership of the tenant when the tenant is active; one read of the (tenant, user) index joined with the tenant.</summary>
    Task<ActiveMembership?> FindActiveAsync(Guid tenantId, Guid userId, CancellationToken cancellationToken);

    /// <summary>The person's memberships of active tenants, by slug, at most <paramref name="take"/> (through the index on the user).</summary>
    Task<IReadOnlyList<ActiveMembership>> ListActiveByUserAsync(Guid userId, int take, CancellationToken cancellationToken);

    Task<int> CountOtherOwnersAsync(Guid tenantId, Guid exceptUserId, CancellationToken cancellationToken);

    Task<bool> AnyForTenantAsync(Guid tenantId, CancellationToken cancellationToken);

    void Add(TenantMembership membership);

    void Remove(TenantMembership membership);
}

public interface ITenantInvitationRepository
{
    Task<TenantInvitation?> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken);

    /// <summary>By the hash of its current link's token (unique index).</summary>
    Task<TenantInvitation?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> invitations of a tenant ordered by id, strictly after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<TenantInvitation>> ListByTenantAsync(Guid tenantId, Guid? afterId, int take, CancellationToken cancellationToken);

    void Add(TenantInvitation invitation);
}
