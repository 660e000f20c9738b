using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AuthService.WebApi.Endpoints;

/// <summary>
/// <c>/healthz</c>: the process is alive (no dependency checked). <c>/readyz</c>: the database answers and
/// the signing keys are loaded. Both answer only Healthy/Unhealthy, never details (ASVS 13.4).
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false })
            .ExcludeFromDescription();
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") })
            .ExcludeFromDescription();
        return endpoints;
    }
}
