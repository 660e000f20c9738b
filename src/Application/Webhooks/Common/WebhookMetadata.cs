using System.Text.Json.Serialization;
using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Webhooks;

namespace AuthService.Application.Webhooks.Common;

/// <summary>The body of a create or update: <c>url</c> required, <c>event_types</c> absent or empty for all, <c>enabled</c> default true.</summary>
public sealed record WebhookMetadata(
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("event_types")] IReadOnlyList<string>? EventTypes,
    [property: JsonPropertyName("tenant")] string? Tenant,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("enabled")] bool? Enabled)
{
    /// <summary>
    /// The settings, after the operator's outbound rules (a refused URL is a 400 naming <c>url</c>); the aggregate checks the
    /// rest. Through a tenant's routes (<paramref name="scopeTenant"/>) the tenant filter is that tenant's slug: an absent
    /// <c>tenant</c> means it, the same slug is accepted, any other is a 400 naming <c>tenant</c> (never a silent other
    /// filter, and never none: a tenant's subscription must not receive the platform's events).
    /// </summary>
    public WebhookSettings ToSettings(IWebhookUrlPolicy policy, string? scopeTenant = null)
    {
        if (string.IsNullOrWhiteSpace(Url))
        {
            throw RequestValidationException.For("url", "url is required.");
        }

        if (Uri.TryCreate(Url, UriKind.Absolute, out var uri) && policy.Refusal(uri) is { } refusal)
        {
            throw RequestValidationException.For("url", "url " + refusal + ".");
        }

        if (scopeTenant is not null && !string.IsNullOrEmpty(Tenant) && !string.Equals(Tenant, scopeTenant, StringComparison.Ordinal))
        {
            throw RequestValidationException.For("tenant", "tenant must be absent or this tenant's slug: a subscription made here receives only this tenant's events.");
        }

        return new WebhookSettings(Url, EventTypes ?? [], scopeTenant ?? Tenant, Description, Enabled ?? true);
    }
}

/// <summary>A subscription as the admin API shows it; the secret never (only <see cref="WebhookSecretResponse"/> on create and rotate).</summary>
public sealed record WebhookResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("event_types")] IReadOnlyList<string> EventTypes,
    [property: JsonPropertyName("tenant")] string? Tenant,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("disabled_reason")] string? DisabledReason,
    [property: JsonPropertyName("previous_secret_expires_at")] DateTimeOffset? PreviousSecretExpiresAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static WebhookResponse From(WebhookSubscription s) =>
        new(s.Id, s.Url, s.EventTypes, s.Tenant, s.Description, s.Enabled, s.DisabledReason, s.PreviousSecretExpiresAt, s.CreatedAt, s.UpdatedAt);
}

/// <summary>The answer to a create: the subscription and, this once, its secret.</summary>
public sealed record CreatedWebhookResponse(
    [property: JsonPropertyName("webhook")] WebhookResponse Webhook,
    [property: JsonPropertyName("secret")] string Secret);

/// <summary>The answer to a rotation: the new secret, shown this once, and until when the previous one is still signed with.</summary>
public sealed record WebhookSecretResponse(
    [property: JsonPropertyName("secret")] string Secret,
    [property: JsonPropertyName("previous_secret_expires_at")] DateTimeOffset? PreviousSecretExpiresAt);

/// <summary>A subscription and its version (the ETag).</summary>
public sealed record WebhookResult(WebhookResponse Webhook, int Version);

/// <summary>One attempt of a delivery.</summary>
public sealed record WebhookAttemptResponse(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("status_code")] int? StatusCode,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("duration_ms")] long DurationMs,
    [property: JsonPropertyName("response_excerpt")] string? ResponseExcerpt);

/// <summary>A delivery: the event, where it stands, and its attempts (newest last).</summary>
public sealed record WebhookDeliveryResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("webhook_id")] string WebhookId,
    [property: JsonPropertyName("event_type")] string EventType,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("next_attempt_at")] DateTimeOffset? NextAttemptAt,
    [property: JsonPropertyName("delivered_at")] DateTimeOffset? DeliveredAt,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("replay_of")] Guid? ReplayOf,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("attempt_log")] IReadOnlyList<WebhookAttemptResponse> AttemptLog)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d) => new(
        d.Id, d.EventId, d.EventType, d.SubjectKey, d.Status.ToString().ToLowerInvariant(), d.Attempts,
        d.Status == Domain.Common.OutboxStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt, d.LastError, d.ReplayOf, d.CreatedAt,
        [.. d.AttemptLog.Select(a => new WebhookAttemptResponse(a.At, a.StatusCode, a.Error, a.DurationMs, a.Excerpt))]);
}
