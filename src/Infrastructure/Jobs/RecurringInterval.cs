namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// The jobs' settings are intervals (<c>Auth:SigningKeyRotation:CheckInterval</c>,
/// <c>Auth:RevocationPurgeIntervalSeconds</c>); Hangfire schedules recurring jobs by cron expression (with
/// a seconds field). A step such as <c>*/7</c> restarts at every minute (…:49, :56, then :00), so only an
/// interval that divides the next larger unit evenly has a cron expression whose runs are all one interval
/// apart. Any other interval runs at the longest such interval below it: never less often than configured
/// (both jobs are idempotent checks, so an earlier run is harmless), and <c>/admin/jobs</c> reports the
/// interval actually used.
/// </summary>
internal static class RecurringInterval
{
    private static readonly TimeSpan[] Even =
    [
        .. new[] { 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 }.Select(s => TimeSpan.FromSeconds(s)),
        .. new[] { 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 }.Select(m => TimeSpan.FromMinutes(m)),
        .. new[] { 1, 2, 3, 4, 6, 8, 12 }.Select(h => TimeSpan.FromHours(h)),
        TimeSpan.FromDays(1),
    ];

    /// <summary>The longest interval with an even cron expression that is at most <paramref name="interval"/> (at least 1 s).</summary>
    public static TimeSpan Effective(TimeSpan interval) => Even.LastOrDefault(e => e <= interval, Even[0]);

    /// <summary>The cron expression (with seconds, UTC) that fires every <see cref="Effective"/> interval.</summary>
    public static string ToCron(TimeSpan interval)
    {
        var effective = Effective(interval);
        return effective switch
        {
            { TotalDays: >= 1 } => "0 0 0 * * *",
            { TotalHours: >= 1 } => $"0 0 */{(int)effective.TotalHours} * * *",
            { TotalMinutes: >= 1 } => $"0 */{(int)effective.TotalMinutes} * * * *",
            _ => $"*/{(int)effective.TotalSeconds} * * * * *",
        };
    }

    /// <summary>The interval of a cron expression made by <see cref="ToCron"/>; null for any other expression.</summary>
    public static TimeSpan? FromCron(string? cron) =>
        Even.Select(e => (TimeSpan?)e).FirstOrDefault(e => ToCron(e!.Value) == cron);
}
