namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// The jobs' settings are intervals (<c>Auth:SigningKeyRotation:CheckInterval</c>,
/// <c>Auth:RevocationPurgeIntervalSeconds</c>); Hangfire schedules recurring jobs by cron expression, with an
/// optional seconds field. A step such as <c>*/7</c> restarts at every minute (…:49, :56, then :00), so only
/// an interval that divides the next larger unit evenly maps to a cron expression whose runs are all one
/// interval apart. Any other interval is refused at start rather than run on an uneven schedule.
/// </summary>
internal static class RecurringInterval
{
    public const string Rule =
        "a whole number of seconds that divides a minute (1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30 s), of minutes that divides an hour, " +
        "of hours that divides a day, or one day";

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The cron expression (with seconds) that fires every <paramref name="interval"/>, or null if none does evenly.</summary>
    public static string? ToCron(TimeSpan interval)
    {
        if (interval.Ticks % TimeSpan.TicksPerSecond != 0 || interval < TimeSpan.FromSeconds(1))
        {
            return null;
        }

        var seconds = (long)interval.TotalSeconds;
        return seconds switch
        {
            < 60 when 60 % seconds == 0 => $"*/{seconds} * * * * *",
            < 3_600 when seconds % 60 == 0 && 60 % (seconds / 60) == 0 => $"0 */{seconds / 60} * * * *",
            < 86_400 when seconds % 3_600 == 0 && 24 % (seconds / 3_600) == 0 => $"0 0 */{seconds / 3_600} * * *",
            86_400 => "0 0 0 * * *",
            _ => null,
        };
    }

    /// <summary>The interval of a cron expression made by <see cref="ToCron"/>; null for any other expression.</summary>
    public static TimeSpan? FromCron(string? cron)
    {
        if (cron == "0 0 0 * * *")
        {
            return Day;
        }

        var fields = cron?.Split(' ');
        if (fields is not { Length: 6 })
        {
            return null;
        }

        var (unit, stepField) = fields switch
        {
            [var s, "*", "*", "*", "*", "*"] => (TimeSpan.FromSeconds(1), s),
            ["0", var m, "*", "*", "*", "*"] => (TimeSpan.FromMinutes(1), m),
            ["0", "0", var h, "*", "*", "*"] => (TimeSpan.FromHours(1), h),
            _ => (TimeSpan.Zero, ""),
        };
        return stepField.StartsWith("*/", StringComparison.Ordinal) && int.TryParse(stepField.AsSpan(2), out var step) && step > 0
            ? unit * step
            : null;
    }
}
