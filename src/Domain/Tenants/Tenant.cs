using AuthService.Domain.Common;
using AuthService.Domain.Tenants.Events;

namespace AuthService.Domain.Tenants;

/// <summary>
/// An organisation whose people sign in here (docs/adr/0038). Its <see cref="Slug"/> is the name downstream services key
/// on, so it is unique and never changes after creation; the display name, the status and the policy may. Members and
/// invitations are aggregates of their own (<see cref="TenantMembership"/>, <see cref="TenantInvitation"/>), so adding a
/// person does not contend on the tenant's version.
/// </summary>
public sealed class Tenant : AggregateRoot
{
    public const int MinSlugLength = 2;
    public const int MaxSlugLength = 63;
    public const int MaxDisplayNameLength = 200;

    private bool _requireMfa;
    private List<string> _allowedSignInMethods = [];
    private List<string> _allowedEmailDomains = [];

    private Tenant()
    {
        Slug = null!;
        DisplayName = null!;
    }

    public Guid Id { get; private set; }

    /// <summary>Lower-case letters and digits with inner hyphens, 2 to 63 characters (a DNS label's shape); fixed once created.</summary>
    public string Slug { get; private set; }

    public string DisplayName { get; private set; }

    public TenantStatus Status { get; private set; }

    public TenantPolicy Policy => TenantPolicy.Restore(_requireMfa, _allowedSignInMethods, _allowedEmailDomains);

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// When an owner was last granted, demoted or removed. Setting it moves the tenant's version, so two owner changes racing
    /// on different memberships conflict on the tenant: the last-owner rule cannot be beaten by two owners demoting each other
    /// at the same moment (each counted the other).
    /// </summary>
    public DateTimeOffset? OwnersChangedAt { get; private set; }

    public static Tenant Create(Guid id, string? slug, string? displayName, TenantStatus status, TenantPolicy policy, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Guard.Against(id == Guid.Empty, "id", "A tenant needs an id.");
        ValidateSlug(slug);
        var tenant = new Tenant { Id = id, Slug = slug!, CreatedAt = now, UpdatedAt = now };
        tenant.Apply(displayName, status, policy);
        tenant.Raise(new TenantCreated(id, tenant.Slug, now));
        return tenant;
    }

    /// <summary>
    /// The slug rule: the shape of a DNS label (RFC 1035 §2.3.1, lower case), so it fits a host name, a path segment and a
    /// claim value unescaped.
    /// </summary>
    public static bool IsValidSlug(string? slug) =>
        slug is { Length: >= MinSlugLength and <= MaxSlugLength }
        && slug[0] != '-' && slug[^1] != '-'
        && slug.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    public static void ValidateSlug(string? slug) =>
        Guard.Against(!IsValidSlug(slug), "slug",
            $"A slug is {MinSlugLength} to {MaxSlugLength} lower-case letters, digits and hyphens, not starting or ending with a hyphen.");

    /// <summary>Replaces the display name, status and policy; false (and no event) when nothing differs.</summary>
    public bool Update(string? displayName, TenantStatus status, TenantPolicy policy, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        var before = (DisplayName, Status, Policy);
        Apply(displayName, status, policy);
        if ((DisplayName, Status, Policy) == before)
        {
            return false;
        }

        UpdatedAt = now;
        Raise(new TenantUpdated(Id, Slug, now));
        return true;
    }

    /// <summary>Marks the tenant deleted, for the audit log; the caller removes it in the same save once it has no members.</summary>
    public void Delete(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        Raise(new TenantDeleted(Id, Slug, now));
    }

    internal void RecordOwnersChanged(DateTimeOffset now) => OwnersChangedAt = now;

    private void Apply(string? displayName, TenantStatus status, TenantPolicy policy)
    {
        var name = displayName?.Trim();
        Guard.Against(string.IsNullOrEmpty(name) || name.Length > MaxDisplayNameLength || name.Any(char.IsControl), "display_name",
            $"A display name is 1 to {MaxDisplayNameLength} characters on one line.");
        Guard.Against(!Enum.IsDefined(status), "status", "A status is active or suspended.");
        ArgumentNullException.ThrowIfNull(policy);
        DisplayName = name!;
        Status = status;
        _requireMfa = policy.RequireMfa;
        _allowedSignInMethods = [.. policy.AllowedSignInMethods];
        _allowedEmailDomains = [.. policy.AllowedEmailDomains];
    }
}
