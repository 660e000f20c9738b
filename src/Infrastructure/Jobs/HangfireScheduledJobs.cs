using AuthService.Application.Common.Interfaces;
using Hangfire;
using Hangfire.Common;
using Hangfire.Storage;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// The recurring jobs as Hangfire's storage holds them (shared by every replica on PostgreSQL): next run and
/// cron from the recurring job, last successful run from <see cref="RecordLastRunAttribute"/>; "run now" is
/// Hangfire's trigger, which enqueues one run that one replica's worker takes.
/// </summary>
internal sealed class HangfireScheduledJobs(JobStorage storage, IRecurringJobManagerV2 recurringJobs) : IScheduledJobs
{
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        [RevocationPurgeJob.Id] = RevocationPurgeJob.Description,
        [SigningKeyRotationJob.Id] = SigningKeyRotationJob.Description,
    };

    public Task<IReadOnlyList<ScheduledJobInfo>> ListAsync(CancellationToken cancellationToken)
    {
        using var connection = storage.GetConnection();
        var lastRuns = connection.GetAllEntriesFromHash(RecordLastRunAttribute.HashKey) ?? [];
        IReadOnlyList<ScheduledJobInfo> jobs = [.. connection.GetRecurringJobs(Descriptions.Keys)
            .Where(job => !job.Removed)
            .OrderBy(job => job.Id, StringComparer.Ordinal)
            .Select(job => new ScheduledJobInfo(
                job.Id,
                Descriptions[job.Id],
                lastRuns.TryGetValue(job.Id, out var lastRun) ? Utc(JobHelper.DeserializeNullableDateTime(lastRun)) : null,
                Utc(job.NextExecution),
                RecurringInterval.FromCron(job.Cron)))];
        return Task.FromResult(jobs);
    }

    public Task<bool> TriggerAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(Descriptions.ContainsKey(name) && recurringJobs.TriggerJob(name) is not null);

    private static DateTimeOffset? Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
