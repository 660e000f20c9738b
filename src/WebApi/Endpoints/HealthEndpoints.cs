using AuthService.Infrastructure.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AuthService.WebApi.Endpoints;

/// <summary>
/// <c>/healthz</c>: the process is alive (no dependency checked). <c>/readyz</c>: the warm-up is over (docs/adr/0044),
/// the database answers and the signing keys are loaded. Both answer only Healthy/Unhealthy, never details (ASVS 13.4).
/// While the server warms up, <c>/readyz</c> answers 503 without running the checks, so a probe then writes no log
/// entry: a replica warming up is expected, not a failure (docs/adr/0041).
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false })
            .ExcludeFromDescription();

        // What MapHealthChecks builds, with the warm-up's gate in front of the health check middleware.
        var warmUp = endpoints.ServiceProvider.GetRequiredService<IWarmUpState>();
        var readiness = endpoints.CreateApplicationBuilder()
            .Use(next => context => warmUp.IsWarm ? next(context) : UnreadyAsync(context))
            .UseMiddleware<HealthCheckMiddleware>(Options.Create(new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }))
            .Build();
        endpoints.Map("/readyz", readiness).WithDisplayName("Health checks").ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The health check middleware's own unhealthy answer: 503, "Unhealthy", not cached.</summary>
    private static Task UnreadyAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store, no-cache";
        context.Response.Headers.Pragma = "no-cache";
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("Unhealthy");
    }
}
