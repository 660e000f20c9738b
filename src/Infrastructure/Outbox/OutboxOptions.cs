using AuthService.Domain.Common;

namespace AuthService.Infrastructure.Outbox;

/// <summary>How an outbox is delivered: the poll, the retries with exponential backoff, the give-up rule and the lease.</summary>
public abstract class OutboxOptions
{
    /// <summary>How often each replica looks for due messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per message before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The delay after the first failure; doubled after each further one.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed message is held by one worker; longer than <see cref="RequestTimeout"/>.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    public DeliveryPolicy Policy => new(MaxAttempts, RetryBaseDelay, RetryMaxDelay);

    public bool IsValid =>
        PollInterval >= TimeSpan.FromMilliseconds(100) && MaxAttempts is >= 1 and <= 100
        && RetryBaseDelay > TimeSpan.Zero && RetryMaxDelay >= RetryBaseDelay
        && RequestTimeout > TimeSpan.Zero && Lease > RequestTimeout + TimeSpan.FromSeconds(5);

    /// <summary>The message of a failed <see cref="IsValid"/> for the section <paramref name="sectionName"/>.</summary>
    public static string Problem(string sectionName) =>
        sectionName + ": PollInterval at least 100 ms, MaxAttempts 1 to 100, positive delays with RetryMaxDelay >= RetryBaseDelay, Lease longer than RequestTimeout + 5 s.";
}
