using AuthService.Application.Jobs.Commands;
using Hangfire;
using MediatR;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Thin: sends one application command, <see cref="RunCleanUp"/>, which deletes what has expired (denylist
/// entries of expired tokens; expired codes, ended refresh-token families and sessions), once per cluster per
/// occurrence, never two runs at once.
/// </summary>
[DisableConcurrentExecution(JobsRegistration.OverlapWaitSeconds)]
[AutomaticRetry(Attempts = 0)] // the next occurrence is the retry
[RecordLastRun]
internal sealed class RevocationPurgeJob(IMediator mediator, Observability.AuthServiceMetrics metrics)
{
    public const string Id = "revocation-purge";

    public const string Description =
        "Clean-up: deletes expired denylist entries, expired codes, ended refresh-token families and sessions, and inactive dynamically registered clients.";

    /// <summary>Hangfire passes its own token: cancelled when the server stops and the stop timeout has passed.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var run = metrics.StartJob(Id);
        await mediator.Send(new RunCleanUp(), cancellationToken);
        run.Succeeded();
    }
}
