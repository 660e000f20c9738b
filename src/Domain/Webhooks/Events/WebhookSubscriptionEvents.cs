using AuthService.Domain.Common;

namespace AuthService.Domain.Webhooks.Events;

/// <summary>
/// A subscription was created, updated, had its secret rotated, was deleted, or was disabled (<paramref name="Change"/>:
/// created, updated, secret_rotated, deleted, disabled). <paramref name="Reason"/> says why it was disabled: <c>admin</c>
/// or <c>failing</c> (the worker gave up on it, docs/adr/0039 "Disabling"). <paramref name="Tenant"/> is the subscription's
/// tenant filter (a slug) when it has one, so a tenant's webhook changes can be found in the audit log by its slug.
/// </summary>
public sealed record WebhookSubscriptionChanged(Guid SubscriptionId, string Change, string? Reason, DateTimeOffset OccurredAt, string? Tenant = null) : IDomainEvent;
