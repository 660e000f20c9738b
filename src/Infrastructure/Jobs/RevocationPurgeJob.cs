using AuthService.Application.Revocation.Commands.PurgeExpiredRevocations;
using MediatR;
using Quartz;

namespace AuthService.Infrastructure.Jobs;

/// <summary>Thin: deletes denylist entries of expired tokens, once per cluster per trigger.</summary>
[DisallowConcurrentExecution]
internal sealed class RevocationPurgeJob(IMediator mediator) : IJob
{
    public static readonly JobKey Key = new("revocation-purge", "authservice");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await mediator.Send(new PurgeExpiredRevocations(), cancellationToken);
}
