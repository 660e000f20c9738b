using AuthService.Application.Tenants.Common;

namespace AuthService.Application.Webhooks.Common;

/// <summary>
/// A webhook request made through one tenant's routes (<c>/admin/tenants/{tenantId}/webhooks</c>, docs/adr/0039 "Tenant
/// administrators' subscriptions"): the tenant named in the route and who calls (the platform, or a person who holds
/// <c>owner</c> or <c>admin</c> there). Such a request sees and writes only subscriptions whose tenant filter is that
/// tenant. A request without a scope is the platform's <c>/admin/webhooks</c>, which reaches every subscription.
/// </summary>
public sealed record WebhookTenantScope(Guid TenantId, TenantCaller Caller);
