namespace AuthService.Application.Common.Interfaces;

/// <summary>A scheduled job as the scheduler sees it: when it last ran and when it runs next (UTC).</summary>
public sealed record ScheduledJobInfo(string Name, string Description, DateTimeOffset? PreviousRunAt, DateTimeOffset? NextRunAt, TimeSpan? Interval);

/// <summary>The scheduled jobs (key rotation, clean-up): their runs, and "run now".</summary>
public interface IScheduledJobs
{
    Task<IReadOnlyList<ScheduledJobInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Asks the scheduler to run the job once now (on one replica of the cluster); false when no job has this name.</summary>
    Task<bool> TriggerAsync(string name, CancellationToken cancellationToken);
}
