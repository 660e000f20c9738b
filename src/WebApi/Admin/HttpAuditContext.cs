using AuthService.Application.Audit;

namespace AuthService.WebApi.Admin;

/// <summary>The audit context of an HTTP request: the admin client authenticated for it, if any, and the peer's address.</summary>
public sealed class HttpAuditContext(IHttpContextAccessor accessor) : IAuditContext
{
    public AuditActor? Actor =>
        accessor.HttpContext?.User is { Identity.AuthenticationType: AdminAuthenticationHandler.SchemeName } user
        && user.FindFirst(AdminAuthenticationHandler.ClientIdClaim)?.Value is { } clientId
            ? AuditActor.AdminClient(clientId)
            : null;

    public string? SourceAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
