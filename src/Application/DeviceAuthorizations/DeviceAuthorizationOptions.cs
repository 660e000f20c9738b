using AuthService.Domain.DeviceAuthorizations;

namespace AuthService.Application.DeviceAuthorizations;

/// <summary>
/// The device authorization grant (RFC 8628), from <c>Auth:DeviceAuthorization</c>: <c>Lifetime</c> (the <c>expires_in</c>
/// of a device code, 1 to 30 minutes) and <c>Interval</c> (the polling interval a device starts with, 1 to 60 whole
/// seconds; RFC 8628 §3.2 suggests 5), <c>UserCodeFailuresPerAddress</c> within <c>UserCodeFailureWindow</c> (wrong user
/// codes entered on the verification page from one address before it waits, RFC 8628 §5.1). Validated at start.
/// </summary>
public sealed class DeviceAuthorizationOptions
{
    public const string SectionName = "Auth:DeviceAuthorization";

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// RFC 8628 §5.1: user codes are short, so guessing is rate limited. With 20^8 codes and at most a few thousand live,
    /// ten wrong codes per address per 15 minutes leave a guesser a chance of about one in 10^6 per window.
    /// </summary>
    public int UserCodeFailuresPerAddress { get; set; } = 10;

    public TimeSpan UserCodeFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    public bool IsValid() =>
        UserCodeFailuresPerAddress >= 1 && UserCodeFailureWindow >= TimeSpan.FromSeconds(1) &&
        Lifetime >= TimeSpan.FromMinutes(1) && Lifetime <= DeviceAuthorization.MaxLifetime
        && Interval >= TimeSpan.FromSeconds(1) && Interval <= TimeSpan.FromSeconds(60) && Interval.Ticks % TimeSpan.TicksPerSecond == 0;
}
