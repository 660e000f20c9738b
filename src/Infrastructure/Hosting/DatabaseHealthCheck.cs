using AuthService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthService.Infrastructure.Hosting;

/// <summary>
/// Ready only while the database answers. docs/adr/0041: an unready answer says why in its one log entry (the health
/// check service writes an unhealthy result at Error, with this description), e.g. "The database is unavailable
/// (NpgsqlException: Failed to connect to 127.0.0.1:5432 &lt;- SocketException: Connection refused)", instead of EF Core's
/// connectivity probe, which swallows the cause and leaves the entry saying nothing.
/// </summary>
internal sealed class DatabaseHealthCheck(AuthDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (StoreFaults.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The database is unavailable ({StoreFaults.Describe(ex)})");
        }
    }
}
