using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace AuthService.Infrastructure.Hosting;

/// <summary>
/// Not ready once the host is stopping (SIGTERM): a load balancer stops sending new requests while the
/// in-flight ones finish within the host's shutdown timeout (ASVS 16.5.4).
/// </summary>
public sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("The server is shutting down.")
            : HealthCheckResult.Healthy());
}
