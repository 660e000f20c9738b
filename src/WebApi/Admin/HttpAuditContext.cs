using AuthService.Application.Audit;

namespace AuthService.WebApi.Admin;

/// <summary>The audit context of an HTTP request: the admin client authenticated for it, if any, and the peer's address.</summary>
public sealed class HttpAuditContext(IHttpContextAccessor accessor) : IAuditContext
{
    /// <summary>The admin client, or for a tenant administrator's token (docs/adr/0038) the user acting through it.</summary>
    public AuditActor? Actor =>
        accessor.HttpContext?.User is not { Identity.AuthenticationType: AdminAuthenticationHandler.SchemeName } user ? null
        : Guid.TryParse(user.FindFirst(AdminAuthenticationHandler.SubjectClaim)?.Value, out var userId) ? AuditActor.User(userId)
        : user.FindFirst(AdminAuthenticationHandler.ClientIdClaim)?.Value is { } clientId ? AuditActor.AdminClient(clientId)
        : null;

    public string? SourceAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
