namespace AuthService.Application.Tenants.Common;

/// <summary>
/// Who calls the tenant admin API (docs/adr/0038): the platform administrator (an admin client's token), or a person whose
/// access token carries the <c>tenant_admin</c> scope, acting on a tenant in which they hold <c>owner</c> or <c>admin</c>.
/// The endpoint's authorization policy admits the latter only to their own tenant's routes; the handlers read the
/// person's roles again for the owner rules.
/// </summary>
public sealed record TenantCaller(Guid? UserId)
{
    public static readonly TenantCaller Platform = new((Guid?)null);

    public bool IsPlatform => UserId is null;
}
