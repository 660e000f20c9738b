using AuthService.Application.Common.Interfaces;
using Quartz;


namespace AuthService.Infrastructure.Jobs;

/// <summary>The Quartz jobs of group <c>authservice</c>: last runs read from the (clustered) store, "run now" as a one-off trigger.</summary>
internal sealed class QuartzScheduledJobs(ISchedulerFactory schedulers) : IScheduledJobs
{
    private const string Group = "authservice";
    private const string LastRunKey = "last_run_at";

    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        [SigningKeyRotationJob.Key.Name] = "Signing-key rotation: publishes the next key ahead of use, activates it, retires and removes old keys.",
        [RevocationPurgeJob.Key.Name] = "Clean-up: deletes expired denylist entries, expired codes, and ended refresh-token families and sessions.",
    };

    public async Task<IReadOnlyList<ScheduledJobInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var jobs = new List<ScheduledJobInfo>();
        foreach (var key in (await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), cancellationToken)).OrderBy(k => k.Name, StringComparer.Ordinal))
        {
            var triggers = await scheduler.GetTriggersOfJob(key, cancellationToken);
            var scheduled = triggers.OfType<ISimpleTrigger>().FirstOrDefault(t => t.RepeatCount < 0); // repeat for ever
            var detail = await scheduler.GetJobDetail(key, cancellationToken);
            DateTimeOffset? lastRun = detail?.JobDataMap.TryGetValue(LastRunKey, out var stored) == true
                && DateTimeOffset.TryParse(stored?.ToString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed.ToUniversalTime()
                    : null;
            jobs.Add(new ScheduledJobInfo(
                key.Name,
                Descriptions.GetValueOrDefault(key.Name, key.Name),
                lastRun,
                triggers.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min(),
                scheduled?.RepeatInterval));
        }

        return jobs;
    }

    /// <summary>
    /// Called by a job at the end of a successful run: the time is kept in the job's data, which the job store
    /// persists after the run (<see cref="PersistJobDataAfterExecutionAttribute"/>), so every replica sees the
    /// last run of the cluster, whichever trigger fired it (its schedule or "run now").
    /// </summary>
    public static void RecordRun(IJobExecutionContext context) =>
        context.JobDetail.JobDataMap.PutAsString(LastRunKey, context.FireTimeUtc.ToUniversalTime());

    public async Task<bool> TriggerAsync(string name, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var key = new JobKey(name, Group);
        if (!await scheduler.Exists(key, cancellationToken))
        {
            return false;
        }

        await scheduler.TriggerJob(key, cancellationToken);
        return true;
    }
}
