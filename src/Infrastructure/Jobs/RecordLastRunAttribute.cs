using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// When a run of a recurring job succeeds, keeps the time it started in a hash of Hangfire's storage,
/// in the same transaction as the Succeeded state, so <c>/admin/jobs</c> shows the last successful run of
/// the cluster (scheduled or "run now") whichever replica ran it. Hangfire's own <c>LastExecution</c> is the
/// time a run was enqueued, successful or not, and its job records expire after a day.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RecordLastRunAttribute : JobFilterAttribute, IApplyStateFilter
{
    public const string HashKey = "authservice:last-successful-runs";

    /// <summary>The parameter Hangfire stores on every job it creates for a recurring job.</summary>
    private const string RecurringJobIdParameter = "RecurringJobId";

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is not SucceededState succeeded)
        {
            return;
        }

        var recurringJobId = SerializationHelper.Deserialize<string>(context.Connection.GetJobParameter(context.BackgroundJob.Id, RecurringJobIdParameter));
        if (recurringJobId is null)
        {
            return;
        }

        var startedAt = succeeded.SucceededAt - TimeSpan.FromMilliseconds(succeeded.PerformanceDuration);
        transaction.SetRangeInHash(HashKey, [new KeyValuePair<string, string>(recurringJobId, JobHelper.SerializeDateTime(startedAt))]);
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
