namespace AuthService.Domain.Tenants;

/// <summary>
/// A person's membership of an <b>active</b> tenant, read with its tenant in one indexed query: what the sign-in and the
/// token endpoint need to put the tenant in tokens (docs/adr/0038 "The tenant in tokens"). A membership of a suspended
/// tenant is never one of these, so a suspended tenant gives no tokens.
/// </summary>
public sealed record ActiveMembership(Guid TenantId, string Slug, string DisplayName, TenantPolicy Policy, IReadOnlyList<string> Roles);
