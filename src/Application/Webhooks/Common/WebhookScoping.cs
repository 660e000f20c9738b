using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tenants.Common;
using AuthService.Domain.Webhooks;

namespace AuthService.Application.Webhooks.Common;

/// <summary>
/// Where a webhook request may reach (<see cref="WebhookTenantScope"/>): the platform's requests every subscription; a
/// tenant's only those whose tenant filter is that tenant's slug. Another tenant's subscription is a 404 exactly like an
/// unknown id, so its id is not confirmed to a tenant administrator (ASVS 5.0 8.4.1: cross-tenant access prevented;
/// 8.2.2: data-specific access).
/// </summary>
public sealed class WebhookScoping(TenantAdministration administration, IWebhookSubscriptionRepository subscriptions)
{
    /// <summary>
    /// The slug whose subscriptions the request reaches, or null for the platform's unscoped request. The tenant must exist
    /// (404) and a person's <c>owner</c> or <c>admin</c> role is read again in this unit of work (ASVS 5.0 8.3.1).
    /// </summary>
    public async Task<string?> TenantAsync(WebhookTenantScope? scope, CancellationToken cancellationToken)
    {
        if (scope is null)
        {
            return null;
        }

        var (tenant, _) = await administration.OpenAsync(scope.TenantId, scope.Caller, cancellationToken);
        return tenant.Slug;
    }

    /// <summary>The subscription <paramref name="id"/> within reach, and the scope's slug; 404 when unknown or out of reach.</summary>
    public async Task<(WebhookSubscription Subscription, string? Tenant)> FindAsync(Guid id, WebhookTenantScope? scope, CancellationToken cancellationToken)
    {
        var tenant = await TenantAsync(scope, cancellationToken);
        var subscription = await subscriptions.FindAsync(id, cancellationToken);
        return subscription is not null && (tenant is null || string.Equals(subscription.Tenant, tenant, StringComparison.Ordinal))
            ? (subscription, tenant)
            : throw new NotFoundException("Webhook", id.ToString());
    }
}
