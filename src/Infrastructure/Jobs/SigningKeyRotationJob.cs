using AuthService.Application.SigningKeys.Commands.EnsureSigningKeys;
using AuthService.Application.SigningKeys.Commands.RotateSigningKeys;
using MediatR;
using Quartz;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Thin: sends the application commands. First makes sure every algorithm has a signing key (it
/// recovers from an emergency revocation), then rotates what is due. Never runs twice at once in the
/// cluster (clustered job store plus <see cref="DisallowConcurrentExecutionAttribute"/>).
/// </summary>
[DisallowConcurrentExecution]
[PersistJobDataAfterExecution] // the last run is kept in the job store, for /admin/jobs
internal sealed class SigningKeyRotationJob(IMediator mediator) : IJob
{
    public static readonly JobKey Key = new("signing-key-rotation", "authservice");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await mediator.Send(new EnsureSigningKeys(), cancellationToken);
        await mediator.Send(new RotateSigningKeys(), cancellationToken);
        QuartzScheduledJobs.RecordRun(context);
    }
}
