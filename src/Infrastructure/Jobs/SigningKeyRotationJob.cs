using AuthService.Application.Jobs.Commands;
using Hangfire;
using MediatR;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Thin: sends one application command, <see cref="RunSigningKeyMaintenance"/> (make sure every algorithm
/// has a signing key, then rotate what is due). Never runs twice at once in the
/// cluster: the storage's distributed lock (<see cref="DisableConcurrentExecutionAttribute"/>) is held
/// for the whole run; a second run waits for it, and fails (visible on the dashboard) if it waited too long.
/// </summary>
[DisableConcurrentExecution(JobsRegistration.OverlapWaitSeconds)]
[AutomaticRetry(Attempts = 0)] // the next occurrence is the retry
[RecordLastRun]
internal sealed class SigningKeyRotationJob(IMediator mediator, Observability.AuthServiceMetrics metrics)
{
    public const string Id = "signing-key-rotation";

    public const string Description =
        "Signing-key rotation: publishes the next key ahead of use, activates it, retires and removes old keys.";

    /// <summary>Hangfire passes its own token: cancelled when the server stops and the stop timeout has passed.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var run = metrics.StartJob(Id);
        await mediator.Send(new RunSigningKeyMaintenance(), cancellationToken);
        run.Succeeded();
    }
}
