using Hangfire;
using Microsoft.Extensions.Hosting;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Declares the recurring jobs when the host starts (after the migrations of the starting phase). Hangfire
/// writes only what changed, under the job's own lock: replicas starting with the same settings leave the
/// stored schedule (and its next run) alone, and a replica started with a new interval replaces the cron.
/// </summary>
internal sealed class RecurringJobSchedule(IRecurringJobManagerV2 recurringJobs, string? rotationCron, string? purgeCron) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Null only when the interval is refused, which options validation reports first.
        ArgumentNullException.ThrowIfNull(rotationCron);
        ArgumentNullException.ThrowIfNull(purgeCron);
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurringJobs.AddOrUpdate<SigningKeyRotationJob>(SigningKeyRotationJob.Id, job => job.RunAsync(CancellationToken.None), rotationCron, utc);
        recurringJobs.AddOrUpdate<RevocationPurgeJob>(RevocationPurgeJob.Id, job => job.RunAsync(CancellationToken.None), purgeCron, utc);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
