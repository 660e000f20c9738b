namespace AuthService.Application.SignIn;

/// <summary>
/// The <c>Auth:SignIn</c> section: lifetimes of codes, ID tokens, refresh token families and browser
/// sessions, and the sign-in throttle (TimeSpan values, e.g. "00:01:00"). Validated at start.
/// </summary>
public sealed class SignInOptions
{
    public const string SectionName = "Auth:SignIn";

    /// <summary>Authorization code lifetime (OAuth 2.1 §4.1.2: short; ASVS 10.4.3 L3: at most 1 minute).</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A refresh token family ends this long after the sign-in, however often it is used (ASVS 10.4.8).</summary>
    public TimeSpan RefreshTokenAbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A family unused for this long ends (RFC 9700 §4.14.2).</summary>
    public TimeSpan RefreshTokenIdleLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A browser session ends this long after the password was entered (ASVS 7.3.2).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A browser session unused for this long ends (ASVS 7.3.1).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Failed sign-ins per source address within <see cref="LoginFailureWindow"/> before that address waits.</summary>
    public int LoginFailuresPerAddress { get; set; } = 20;

    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(5);
}
