using AuthService.Application.Revocation.Commands.PurgeExpiredRevocations;
using AuthService.Application.SignIn.Commands.PurgeEndedGrants;
using MediatR;
using Quartz;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Thin: deletes what has expired (denylist entries of expired tokens; expired codes, ended refresh token
/// families and sessions), once per cluster per trigger.
/// </summary>
[DisallowConcurrentExecution]
[PersistJobDataAfterExecution] // the last run is kept in the job store, for /admin/jobs
internal sealed class RevocationPurgeJob(IMediator mediator) : IJob
{
    public static readonly JobKey Key = new("revocation-purge", "authservice");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await mediator.Send(new PurgeExpiredRevocations(), cancellationToken);
        await mediator.Send(new PurgeEndedGrants(), cancellationToken);
        QuartzScheduledJobs.RecordRun(context);
    }
}
