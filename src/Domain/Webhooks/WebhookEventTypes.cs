namespace AuthService.Domain.Webhooks;

/// <summary>
/// The webhook events and the audit records they come from (docs/adr/0039 "Events"): an event is named
/// <c>&lt;resource&gt;.&lt;past-tense verb&gt;</c> in lower-case snake_case, dotted like the Standard Webhooks examples
/// (<c>user.created</c>); where the audit word is an implementation detail (<c>user.locked_out</c>,
/// <c>signing_key.activated</c>) the event takes the word a receiver would look for. One table, so an event exists
/// exactly when its audit record (and so its change) was committed.
/// </summary>
public static class WebhookEventTypes
{
    /// <summary>Audit record type to webhook event type.</summary>
    public static readonly IReadOnlyDictionary<string, string> FromAudit = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["user.created"] = "user.created",
        ["user.updated"] = "user.updated",
        ["user.locked_out"] = "user.locked",
        ["user.deleted"] = "user.deleted",
        ["session.ended"] = "session.ended",
        ["client.created"] = "client.created",
        ["consent.revoked"] = "consent.revoked",
        ["signing_key.activated"] = "signing_key.rotated",
        ["tenant.created"] = "tenant.created",
        ["tenant.updated"] = "tenant.updated",
        ["tenant.deleted"] = "tenant.deleted",
        ["tenant.member.added"] = "tenant.member.added",
        ["tenant.member.removed"] = "tenant.member.removed",
        ["tenant.member.roles_changed"] = "tenant.member.roles_changed",
        ["tenant.invite.sent"] = "tenant.invite.sent",
        ["tenant.invite.accepted"] = "tenant.invite.accepted",
        ["tenant.invite.withdrawn"] = "tenant.invite.withdrawn",
    };

    /// <summary>Every event type a subscription may name.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(FromAudit.Values, StringComparer.Ordinal);

    /// <summary>
    /// The events of one tenant (<c>tenant.*</c>): the only ones whose audit record carries a <c>tenant</c> detail, and so
    /// the only ones a subscription with a tenant filter receives or may list (docs/adr/0039 "Tenant administrators'
    /// subscriptions"). The others (<c>user.*</c>, <c>client.*</c>, <c>signing_key.*</c>, ...) are the platform's: their
    /// data may concern people of other tenants.
    /// </summary>
    public static readonly IReadOnlySet<string> OfTenant = new HashSet<string>(All.Where(t => t.StartsWith("tenant.", StringComparison.Ordinal)), StringComparer.Ordinal);

    /// <summary>The event an audit record of <paramref name="auditType"/> becomes, or null when it is not published.</summary>
    public static string? ForAudit(string auditType) => FromAudit.TryGetValue(auditType, out var type) ? type : null;
}
