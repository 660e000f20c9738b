using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Declares the recurring jobs when the host starts (after the migrations of the starting phase). Hangfire
/// writes only what changed, under the job's own lock: replicas starting with the same settings leave the
/// stored schedule (and its next run) alone, and a replica started with a new interval replaces the cron.
/// </summary>
internal sealed partial class RecurringJobSchedule(
    IRecurringJobManagerV2 recurringJobs,
    TimeSpan rotationInterval,
    TimeSpan purgeInterval,
    ILogger<RecurringJobSchedule> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var utc = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        recurringJobs.AddOrUpdate<SigningKeyRotationJob>(SigningKeyRotationJob.Id, job => job.RunAsync(CancellationToken.None), Cron(SigningKeyRotationJob.Id, rotationInterval), utc);
        recurringJobs.AddOrUpdate<RevocationPurgeJob>(RevocationPurgeJob.Id, job => job.RunAsync(CancellationToken.None), Cron(RevocationPurgeJob.Id, purgeInterval), utc);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string Cron(string job, TimeSpan configured)
    {
        var effective = RecurringInterval.Effective(configured);
        if (effective != configured)
        {
            LogIntervalShortened(logger, job, configured, effective);
        }

        return RecurringInterval.ToCron(configured);
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information,
        Message = "Job {Job}: configured every {Configured}, runs every {Effective} (the longest interval at most the configured one that a cron schedule repeats evenly)")]
    private static partial void LogIntervalShortened(ILogger logger, string job, TimeSpan configured, TimeSpan effective);
}
