namespace AuthService.Domain.Tenants;

/// <summary>
/// Who changes a tenant's people: the platform administrator (manages every tenant, grants any role) or a person acting
/// through the tenant admin API with their own roles in that tenant (docs/adr/0038). Only an owner, or the platform,
/// may grant or remove <c>owner</c>.
/// </summary>
public sealed record TenantActor(bool IsPlatform, Guid? UserId, IReadOnlyList<string> Roles)
{
    public static readonly TenantActor Platform = new(true, null, []);

    public static TenantActor Member(Guid userId, IReadOnlyList<string> roles) => new(false, userId, roles);

    public bool MayManageOwners => IsPlatform || Roles.Contains(TenantRoles.Owner, StringComparer.Ordinal);
}
