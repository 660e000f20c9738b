using AuthService.Application.Common.Interfaces;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuthService.Infrastructure.Hosting;

/// <summary>Ready only when a signing key for every algorithm is loaded.</summary>
internal sealed class SigningKeysHealthCheck(ISigningKeyRing keyRing) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(keyRing.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Signing keys are not loaded."));
}
