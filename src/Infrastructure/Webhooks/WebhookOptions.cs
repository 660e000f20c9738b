using AuthService.Infrastructure.Outbox;

namespace AuthService.Infrastructure.Webhooks;

/// <summary>
/// The <c>Auth:Webhooks</c> section (docs/adr/0039). The shared outbox settings give the poll, the lease and the timeout of
/// one POST; the retries follow <see cref="Schedule"/> instead of <see cref="OutboxOptions.Policy"/>'s doubling.
/// </summary>
public sealed class WebhookOptions : OutboxOptions
{
    public const string SectionName = "Auth:Webhooks";

    /// <summary>
    /// The default waits after the 1st, 2nd, ... failed attempt, before jitter: the Standard Webhooks example schedule
    /// stretched past a day (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h: the 8th and last attempt about 31.6 h after the first).
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultSchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(14),
    ];

    /// <summary>Each wait is multiplied by a random factor in [1 - Jitter, 1 + Jitter], so receivers coming back are not hit all at once.</summary>
    public const double Jitter = 0.1;

    /// <summary>Bytes of a receiver's answer kept (sanitized) with an attempt.</summary>
    public const int ExcerptBytes = 200;

    /// <summary>Overrides <see cref="DefaultSchedule"/> (nullable: the configuration binder would append to a non-empty default).</summary>
    public TimeSpan[]? RetrySchedule { get; set; }

    /// <summary>
    /// A subscription is disabled when an attempt fails on a delivery that has been failing this long and no delivery of
    /// the subscription succeeded meanwhile (docs/adr/0039 "Disabling").
    /// </summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the secret before a rotation stays valid and signed with.</summary>
    public TimeSpan PreviousSecretGrace { get; set; } = TimeSpan.FromHours(24);

    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule is { Length: > 0 } schedule ? schedule : DefaultSchedule;

    public bool IsValidWebhooks =>
        IsValid && (RetrySchedule is null || (RetrySchedule.Length <= 50 && RetrySchedule.All(d => d > TimeSpan.Zero)))
        && DisableAfter > TimeSpan.Zero && PreviousSecretGrace >= TimeSpan.Zero && PreviousSecretGrace <= TimeSpan.FromDays(30);

    public static string WebhooksProblem =>
        Problem(SectionName) + " RetrySchedule at most 50 positive waits, DisableAfter positive, PreviousSecretGrace 0 to 30 days.";

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failure, with jitter from <paramref name="random"/>; null to give up.</summary>
    public TimeSpan? RetryAfter(int failedAttempts, Random random)
    {
        var schedule = Schedule;
        if (failedAttempts > schedule.Count)
        {
            return null;
        }

        var factor = 1 - Jitter + (2 * Jitter * random.NextDouble());
        return TimeSpan.FromTicks((long)(schedule[failedAttempts - 1].Ticks * factor));
    }
}
