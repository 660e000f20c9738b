using System.Text.Json.Nodes;
using AuthService.Application.Common.Paging;
using AuthService.Application.Jobs.Commands;
using AuthService.Application.Jobs.Queries;
using AuthService.WebApi.Admin;
using Hangfire;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary><c>/admin/jobs</c>: the scheduled jobs (docs/adr/0011, docs/adr/0015), their last and next runs, and "run now".</summary>
public static class JobEndpoints
{
    private static readonly JsonNode JobsExample = JsonNode.Parse("""
        {
          "items": [
            { "name": "revocation-purge", "description": "Clean-up: deletes expired denylist entries, expired codes, and ended refresh-token families and sessions.",
              "previous_run_at": "2026-11-22T10:00:00Z", "next_run_at": "2026-11-22T11:00:00Z", "interval_seconds": 3600 },
            { "name": "signing-key-rotation", "description": "Signing-key rotation: publishes the next key ahead of use, activates it, retires and removes old keys.",
              "previous_run_at": "2026-11-22T10:12:00Z", "next_run_at": "2026-11-22T11:12:00Z", "interval_seconds": 3600 }
          ],
          "next_cursor": null
        }
        """)!;

    /// <summary>Hangfire's dashboard, read-only, for administrators (docs/adr/0015, docs/operations.md "Scheduled jobs").</summary>
    public const string DashboardPath = AdminApi.Prefix + "/jobs/dashboard";

    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder admin)
    {
        var jobs = admin.MapGroup("/jobs").WithTags("Scheduled jobs");

        jobs.MapGet("/", ListJobs)
            .WithName(nameof(ListJobs))
            .WithSummary("List the scheduled jobs with their last and next runs")
            .WithDescription("Key rotation and clean-up run on Hangfire, once per cluster per occurrence. Times are UTC; `previous_run_at` is when the last successful run started, null before the first. The same state, read-only, is on the Hangfire dashboard at `/admin/jobs/dashboard`.")
            .Produces<Page<ScheduledJobResponse>>()
            .WithResponseExample(JobsExample);

        jobs.MapPost("/{name}/run", RunJob)
            .WithName(nameof(RunJob))
            .WithSummary("Run a scheduled job now")
            .WithDescription("Asks the scheduler to run the job once now, on one replica, besides its schedule. The jobs are idempotent and never overlap, so an extra run is safe. Answers 202: the run happens in the background; audited as `job.triggered`.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return admin;
    }

    /// <summary>
    /// The dashboard behind the admin API's own policy (an admin bearer token; never Hangfire's
    /// local-requests filter, which a reverse proxy on the same host would satisfy for anyone), and
    /// read-only: every change to the jobs goes through the audited API above.
    /// </summary>
    public static WebApplication MapJobDashboard(this WebApplication app)
    {
        app.MapHangfireDashboardWithAuthorizationPolicy(AdminAuthenticationHandler.Policy, DashboardPath, new DashboardOptions
        {
            IsReadOnlyFunc = static _ => true,
            DisplayStorageConnectionString = false,
            AppPath = null,
            DashboardTitle = "AuthService jobs",
        });
        return app;
    }

    private static async Task<Ok<Page<ScheduledJobResponse>>> ListJobs(IMediator mediator, CancellationToken cancellationToken) =>
        TypedResults.Ok(await mediator.Send(new ListScheduledJobs(), cancellationToken));

    private static async Task<Accepted> RunJob(string name, IMediator mediator, CancellationToken cancellationToken)
    {
        await mediator.Send(new RunScheduledJob(name), cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
