namespace AuthService.Domain.Tenants;

/// <summary>
/// Whether a tenant is in use. A suspended tenant keeps its members, invitations and policy; what suspension stops at
/// sign-in and in tokens comes with the tenant claims (docs/adr/0038 "Not yet"). Only the platform administrator changes it.
/// </summary>
public enum TenantStatus
{
    Active = 1,
    Suspended = 2,
}

public static class TenantStatuses
{
    public const string Active = "active";
    public const string Suspended = "suspended";

    public static string Name(this TenantStatus status) => status == TenantStatus.Suspended ? Suspended : Active;

    public static TenantStatus? Parse(string? value) => value switch
    {
        Active => TenantStatus.Active,
        Suspended => TenantStatus.Suspended,
        _ => null,
    };
}
