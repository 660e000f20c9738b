namespace AuthService.Domain.Tenants;

/// <summary>
/// The closed set of tenant-level roles (docs/adr/0038): tenant roles say who manages the tenant, not what each
/// application lets a person do (those are the applications' own permissions).
/// <list type="bullet">
/// <item><c>owner</c>: manages the tenant through the tenant admin API (display name, policy, members, invitations) and is
/// the only one who may grant or remove <c>owner</c>; a tenant with owners always keeps at least one.</item>
/// <item><c>admin</c>: manages the tenant like an owner, except the <c>owner</c> role itself.</item>
/// <item><c>member</c>: belongs to the tenant; manages nothing.</item>
/// </list>
/// </summary>
public static class TenantRoles
{
    public const string Owner = "owner";
    public const string Admin = "admin";
    public const string Member = "member";

    public static IReadOnlyList<string> All { get; } = [Owner, Admin, Member];

    /// <summary>Whether <paramref name="roles"/> let their holder manage the tenant through the tenant admin API.</summary>
    public static bool ManageTenant(IEnumerable<string> roles) => roles.Any(r => r is Owner or Admin);

    /// <summary>
    /// The roles as stored: known, without repeats, in the order of <see cref="All"/>. At least one: a membership without a
    /// role is no membership (remove it instead).
    /// </summary>
    public static List<string> Normalize(IEnumerable<string>? roles, string field = "roles")
    {
        var given = roles?.ToList() ?? [];
        var unknown = given.FirstOrDefault(r => !All.Contains(r, StringComparer.Ordinal));
        Common.Guard.Against(unknown is not null, field, $"Unknown role; a tenant role is one of: {string.Join(", ", All)}.");
        Common.Guard.Against(given.Count == 0, field, "At least one role is needed (owner, admin or member).");
        return [.. All.Where(r => given.Contains(r, StringComparer.Ordinal))];
    }
}
