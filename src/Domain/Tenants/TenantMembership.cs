using AuthService.Domain.Common;
using AuthService.Domain.Tenants.Events;

namespace AuthService.Domain.Tenants;

/// <summary>
/// One person's membership of one tenant, with their tenant roles (<see cref="TenantRoles"/>); unique per (tenant, user).
/// The rules that involve the other members (only an owner grants or removes <c>owner</c>; the last owner stays) are
/// enforced here, given the count of the tenant's other owners, which the caller reads in the same transaction.
/// </summary>
public sealed class TenantMembership : AggregateRoot
{
    public const string AddedByAdmin = "admin";
    public const string AddedByInvitation = "invitation";
    public const string RemovedByAdmin = "admin";
    public const string RemovedWithUser = "user_deleted";

    private List<string> _roles = [];

    private TenantMembership()
    {
    }

    public Guid Id { get; private set; }

    public Guid TenantId { get; private set; }

    public Guid UserId { get; private set; }

    public IReadOnlyList<string> Roles => _roles;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Stored beside the roles so that counting a tenant's owners is an indexed query, not a read of every role list.</summary>
    public bool IsOwner { get; private set; }

    public bool ManagesTenant => TenantRoles.ManageTenant(_roles);

    /// <summary>Adds <paramref name="userId"/> to <paramref name="tenant"/>; granting <c>owner</c> needs an owner or the platform.</summary>
    public static TenantMembership Add(Guid id, Tenant tenant, Guid userId, IEnumerable<string>? roles, TenantActor actor, string how, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(id == Guid.Empty || userId == Guid.Empty, "user_id", "A membership names a user.");
        var normalized = TenantRoles.Normalize(roles);
        RequireOwnerFor(normalized, actor);
        var membership = new TenantMembership { Id = id, TenantId = tenant.Id, UserId = userId, _roles = normalized, CreatedAt = now, UpdatedAt = now };
        membership.IsOwner = membership._roles.Contains(TenantRoles.Owner, StringComparer.Ordinal);
        if (membership.IsOwner)
        {
            tenant.RecordOwnersChanged(now);
        }

        membership.Raise(new TenantMemberAdded(tenant.Id, tenant.Slug, userId, normalized, how, now));
        return membership;
    }

    /// <summary>
    /// Replaces the roles; false when they are the same. Granting or taking away <c>owner</c> needs an owner (or the platform);
    /// taking it from the last owner (<paramref name="otherOwners"/> is 0) is refused: a tenant that had an owner keeps one.
    /// </summary>
    public bool ChangeRoles(Tenant tenant, IEnumerable<string>? roles, TenantActor actor, int otherOwners, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        RequireSameTenant(tenant);
        var normalized = TenantRoles.Normalize(roles);
        if (normalized.SequenceEqual(_roles, StringComparer.Ordinal))
        {
            return false;
        }

        var becomesOwner = normalized.Contains(TenantRoles.Owner, StringComparer.Ordinal);
        if (becomesOwner != IsOwner)
        {
            Guard.Against(!actor.MayManageOwners, "roles", "Only an owner may grant or remove the owner role.");
            Guard.Against(IsOwner && otherOwners == 0, "roles", "The last owner cannot be demoted: make another member owner first.");
            tenant.RecordOwnersChanged(now);
        }

        _roles = normalized;
        IsOwner = becomesOwner;
        UpdatedAt = now;
        Raise(new TenantMemberRolesChanged(TenantId, tenant.Slug, UserId, normalized, now));
        return true;
    }

    /// <summary>Ends the membership by an administrator's decision; the caller removes it in the same save.</summary>
    public void Remove(Tenant tenant, TenantActor actor, int otherOwners, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        RequireSameTenant(tenant);
        if (IsOwner)
        {
            Guard.Against(!actor.MayManageOwners, "roles", "Only an owner may remove an owner.");
            Guard.Against(otherOwners == 0, "roles", "The last owner cannot be removed: make another member owner first.");
            tenant.RecordOwnersChanged(now);
        }

        Raise(new TenantMemberRemoved(TenantId, tenant.Slug, UserId, RemovedByAdmin, now));
    }

    /// <summary>
    /// Ends the membership because its user is deleted. The owner rules do not hold back a deletion (ASVS 7.4.2: an account's
    /// deletion removes what was issued to it); a tenant may so lose its last owner, and the platform administrator names another.
    /// </summary>
    public void RemoveWithUser(Tenant tenant, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        RequireSameTenant(tenant);
        Raise(new TenantMemberRemoved(TenantId, tenant.Slug, UserId, RemovedWithUser, now));
    }

    private static void RequireOwnerFor(IReadOnlyList<string> roles, TenantActor actor) =>
        Guard.Against(roles.Contains(TenantRoles.Owner, StringComparer.Ordinal) && !actor.MayManageOwners, "roles", "Only an owner may grant the owner role.");

    private void RequireSameTenant(Tenant tenant)
    {
        if (tenant.Id != TenantId)
        {
            throw new InvalidOperationException("A membership is changed with its own tenant.");
        }
    }

    /// <summary>Used by <see cref="TenantInvitation"/>'s acceptance, which checks the owner rule when the invitation is made.</summary>
    internal static TenantMembership FromInvitation(Guid id, Tenant tenant, Guid userId, IReadOnlyList<string> roles, DateTimeOffset now) =>
        Add(id, tenant, userId, roles, TenantActor.Platform, AddedByInvitation, now);
}
