using AuthService.Application.Audit;

namespace AuthService.Infrastructure.Audit;

/// <summary>Outside a request (scheduled jobs, start-up seeding): no admin actor, no address.</summary>
internal sealed class SystemAuditContext : IAuditContext
{
    public AuditActor? Actor => null;

    public string? SourceAddress => null;
}
