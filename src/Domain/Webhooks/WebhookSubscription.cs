using System.Text.RegularExpressions;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.Webhooks.Events;

namespace AuthService.Domain.Webhooks;

/// <summary>What an administrator sets on a subscription; an empty <see cref="EventTypes"/> means every event.</summary>
public sealed record WebhookSettings(string Url, IReadOnlyList<string> EventTypes, string? Tenant, string? Description, bool Enabled);

/// <summary>
/// A receiver of webhook events (docs/adr/0039): the URL the server POSTs to, which events it wants (all, or a list),
/// optionally only those of one tenant, and the Standard Webhooks signing secret, held only encrypted (the encryption is
/// infrastructure). After a rotation the previous secret stays valid, and is signed with too, until
/// <see cref="PreviousSecretExpiresAt"/>, so a receiver can switch without losing a delivery. A subscription whose
/// deliveries keep failing is disabled by the delivery worker (<see cref="DisableForFailures"/>); only an administrator
/// enables it again.
/// </summary>
public sealed partial class WebhookSubscription : AggregateRoot
{
    public const int MaxUrlLength = 2000;
    public const int MaxDescriptionLength = 200;
    public const int MaxEventTypes = 32;
    public const int MaxTenantLength = 63;

    /// <summary>Why the worker disabled a subscription: its deliveries kept failing.</summary>
    public const string DisabledForFailures = "failing";

    /// <summary>Why an administrator's update disabled it.</summary>
    public const string DisabledByAdmin = "admin";

    private List<string> _eventTypes = [];

    private WebhookSubscription()
    {
        Url = null!;
        ProtectedSecret = null!;
    }

    public Guid Id { get; private set; }

    /// <summary>https (http only to a loopback host, and only reached when the operator allows loopback).</summary>
    public string Url { get; private set; }

    /// <summary>The events delivered; empty for all of <see cref="WebhookEventTypes.All"/>.</summary>
    public IReadOnlyList<string> EventTypes => _eventTypes;

    /// <summary>A tenant's slug: only events of that tenant (their <c>tenant</c> detail) are delivered. Null: every event.</summary>
    public string? Tenant { get; private set; }

    public string? Description { get; private set; }

    public bool Enabled { get; private set; }

    /// <summary>Why it is disabled (<see cref="DisabledForFailures"/> or <see cref="DisabledByAdmin"/>); null while enabled.</summary>
    public string? DisabledReason { get; private set; }

    /// <summary>The current <c>whsec_</c> secret, encrypted.</summary>
    public byte[] ProtectedSecret { get; private set; }

    /// <summary>The secret before the last rotation, encrypted; signed with too until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public byte[]? PreviousProtectedSecret { get; private set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static WebhookSubscription Create(Guid id, WebhookSettings settings, byte[] protectedSecret, DateTimeOffset now)
    {
        Guard.Against(id == Guid.Empty, "id", "A subscription needs an id.");
        Guard.Against(protectedSecret.Length == 0, "secret", "A subscription needs a secret.");
        Guard.RequireUtc(now, nameof(now));
        var subscription = new WebhookSubscription { Id = id, ProtectedSecret = protectedSecret, CreatedAt = now };
        subscription.Apply(settings, now);
        subscription.Raise(new WebhookSubscriptionChanged(id, "created", null, now, subscription.Tenant));
        return subscription;
    }

    /// <summary>Replaces the settings; false (and nothing raised) when nothing changed. Disabling through an update is audited as such.</summary>
    public bool Update(WebhookSettings settings, DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        var normalized = Normalize(settings);
        if (normalized.Url == Url && normalized.EventTypes.SequenceEqual(_eventTypes) && normalized.Tenant == Tenant
            && normalized.Description == Description && normalized.Enabled == Enabled)
        {
            return false;
        }

        var wasEnabled = Enabled;
        Apply(normalized, now);
        Raise(new WebhookSubscriptionChanged(Id, "updated", null, now, Tenant));
        if (wasEnabled && !Enabled)
        {
            DisabledReason = DisabledByAdmin;
            Raise(new WebhookSubscriptionChanged(Id, "disabled", DisabledByAdmin, now, Tenant));
        }

        return true;
    }

    /// <summary>A new secret; the current one stays valid (and signed with) for <paramref name="grace"/>.</summary>
    public void RotateSecret(byte[] protectedSecret, TimeSpan grace, DateTimeOffset now)
    {
        Guard.Against(protectedSecret.Length == 0, "secret", "A subscription needs a secret.");
        Guard.Against(grace < TimeSpan.Zero, "grace", "The grace period cannot be negative.");
        Guard.RequireUtc(now, nameof(now));
        PreviousProtectedSecret = ProtectedSecret;
        PreviousSecretExpiresAt = now + grace;
        ProtectedSecret = protectedSecret;
        UpdatedAt = now;
        Raise(new WebhookSubscriptionChanged(Id, "secret_rotated", null, now, Tenant));
    }

    /// <summary>The previous secret while it is still valid at <paramref name="now"/>.</summary>
    public byte[]? PreviousSecretAt(DateTimeOffset now) => PreviousSecretExpiresAt > now ? PreviousProtectedSecret : null;

    /// <summary>Called before the subscription is removed, so the deletion is audited in the same save.</summary>
    public void MarkDeleted(DateTimeOffset now) => Raise(new WebhookSubscriptionChanged(Id, "deleted", null, now, Tenant));

    /// <summary>The worker gave up on the receiver (docs/adr/0039 "Disabling"); false when it was already disabled.</summary>
    public bool DisableForFailures(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (!Enabled)
        {
            return false;
        }

        Enabled = false;
        DisabledReason = DisabledForFailures;
        UpdatedAt = now;
        Raise(new WebhookSubscriptionChanged(Id, "disabled", DisabledForFailures, now, Tenant));
        return true;
    }

    /// <summary>
    /// Whether an event of <paramref name="eventType"/> (of <paramref name="tenant"/>, when it concerns one) is delivered
    /// here: enabled, the type wanted, and with a tenant filter only that tenant's <c>tenant.*</c> events (an event of no
    /// tenant is not, nor one of another type that some day carried a tenant: a tenant's receiver gets the tenant's events only).
    /// </summary>
    public bool Matches(string eventType, string? tenant) =>
        Enabled
        && (_eventTypes.Count == 0 || _eventTypes.Contains(eventType, StringComparer.Ordinal))
        && (Tenant is null || (string.Equals(Tenant, tenant, StringComparison.Ordinal) && WebhookEventTypes.OfTenant.Contains(eventType)));

    private void Apply(WebhookSettings settings, DateTimeOffset now)
    {
        var normalized = Normalize(settings);
        Url = normalized.Url;
        _eventTypes = [.. normalized.EventTypes];
        Tenant = normalized.Tenant;
        Description = normalized.Description;
        if (normalized.Enabled && !Enabled)
        {
            DisabledReason = null;
        }

        Enabled = normalized.Enabled;
        UpdatedAt = now;
    }

    /// <summary>Every rule on the settings, with the event types de-duplicated and sorted and blank strings as null.</summary>
    private static WebhookSettings Normalize(WebhookSettings settings)
    {
        Guard.Against(string.IsNullOrWhiteSpace(settings.Url), "url", "url is required.");
        Guard.Against(settings.Url.Length > MaxUrlLength, "url", $"url must be at most {MaxUrlLength} characters.");

        // The server itself POSTs to it: the rule of every URL it calls (docs/adr/0031, jwks_uri).
        if (ClientKeySetRules.ValidateJwksUri(settings.Url) is { } urlError)
        {
            throw new DomainRuleViolationException("url", "url " + urlError + ".");
        }

        var types = settings.EventTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Guard.Against(types.Count > MaxEventTypes, "event_types", $"event_types holds at most {MaxEventTypes} types.");
        if (types.FirstOrDefault(t => !WebhookEventTypes.All.Contains(t)) is { } unknown)
        {
            throw new DomainRuleViolationException("event_types", $"event_types: '{Truncate(unknown)}' is not an event type; known: {string.Join(", ", WebhookEventTypes.All.Order(StringComparer.Ordinal))}.");
        }

        var tenant = string.IsNullOrEmpty(settings.Tenant) ? null : settings.Tenant;
        Guard.Against(tenant is not null && !TenantSlug().IsMatch(tenant), "tenant",
            $"tenant must be a tenant's slug: lower-case letters, digits and hyphens, at most {MaxTenantLength}, starting with a letter or digit.");
        // A tenant filter delivers only events that carry the tenant, which are the tenant.* ones: another type listed with
        // it would never be delivered, so it is refused rather than stored as a subscription that silently gets nothing.
        if (tenant is not null && types.FirstOrDefault(t => !WebhookEventTypes.OfTenant.Contains(t)) is { } untenanted)
        {
            throw new DomainRuleViolationException("event_types",
                $"event_types: '{untenanted}' carries no tenant; a subscription with a tenant lists only: {string.Join(", ", WebhookEventTypes.OfTenant.Order(StringComparer.Ordinal))}.");
        }

        var description = string.IsNullOrWhiteSpace(settings.Description) ? null : settings.Description.Trim();
        Guard.Against(description is { Length: > MaxDescriptionLength }, "description", $"description must be at most {MaxDescriptionLength} characters.");
        Guard.Against(description is not null && description.Any(char.IsControl), "description", "description must not contain control characters.");
        return new WebhookSettings(settings.Url, types, tenant, description, settings.Enabled);
    }

    private static string Truncate(string value) => value.Length > 64 ? value[..64] + "…" : value;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantSlug();
}
