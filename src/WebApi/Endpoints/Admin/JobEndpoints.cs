using System.Text.Json.Nodes;
using AuthService.Application.Common.Paging;
using AuthService.Application.Jobs.Commands;
using AuthService.Application.Jobs.Queries;
using AuthService.WebApi.Admin;
using MediatR;

namespace AuthService.WebApi.Endpoints.Admin;

/// <summary><c>/admin/jobs</c>: the scheduled jobs (docs/adr/0011), their last and next runs, and "run now".</summary>
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

    public static RouteGroupBuilder MapJobEndpoints(this RouteGroupBuilder admin)
    {
        var jobs = admin.MapGroup("/jobs").WithTags("Scheduled jobs");

        jobs.MapGet("/", async (IMediator mediator, CancellationToken cancellationToken) =>
                Results.Ok(await mediator.Send(new ListScheduledJobs(), cancellationToken)))
            .WithName("ListJobs")
            .WithSummary("List the scheduled jobs with their last and next runs")
            .WithDescription("Key rotation and clean-up run on Quartz, once per cluster per trigger. Times are UTC; `previous_run_at` is null before the first run.")
            .Produces<Page<ScheduledJobResponse>>()
            .WithResponseExample(JobsExample);

        jobs.MapPost("/{name}/run", async (string name, IMediator mediator, CancellationToken cancellationToken) =>
            {
                await mediator.Send(new RunScheduledJob(name), cancellationToken);
                return Results.Accepted();
            })
            .WithName("RunJob")
            .WithSummary("Run a scheduled job now")
            .WithDescription("Asks the scheduler to run the job once now, on one replica, besides its schedule. The jobs are idempotent and never overlap, so an extra run is safe. Answers 202: the run happens in the background; audited as `job.triggered`.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return admin;
    }
}
