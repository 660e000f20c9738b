using AuthService.Domain.LogoutNotifications;

namespace AuthService.Infrastructure.Logout;

/// <summary>The <c>Auth:BackchannelLogout</c> section: how the outbox of logout notifications is delivered.</summary>
public sealed class BackchannelLogoutOptions
{
    public const string SectionName = "Auth:BackchannelLogout";

    /// <summary>How often each replica looks for due notifications.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per notification before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The delay after the first failure; doubled after each further one.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long one POST may take (Back-Channel Logout 1.0 §2.5 lets the OP give up on an unresponsive RP).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed notification is held by one worker; longer than <see cref="RequestTimeout"/>.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    public LogoutDeliveryPolicy Policy => new(MaxAttempts, RetryBaseDelay, RetryMaxDelay);

    public bool IsValid =>
        PollInterval >= TimeSpan.FromMilliseconds(100) && MaxAttempts is >= 1 and <= 100
        && RetryBaseDelay > TimeSpan.Zero && RetryMaxDelay >= RetryBaseDelay
        && RequestTimeout > TimeSpan.Zero && Lease > RequestTimeout + TimeSpan.FromSeconds(5);
}
