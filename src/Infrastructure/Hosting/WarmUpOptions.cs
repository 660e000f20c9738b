namespace AuthService.Infrastructure.Hosting;

/// <summary>
/// <c>Auth:WarmUp</c>: the requests the server sends itself before <c>/readyz</c> turns ready (docs/adr/0044), so that
/// a replica taking traffic runs its hot paths compiled at tier 1 instead of spending its first seconds in the JIT.
/// </summary>
public sealed class WarmUpOptions
{
    public const string SectionName = "Auth:WarmUp";

    /// <summary>On by default; off, the server turns ready as soon as keys and seed are in place.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The longest the warm-up may hold readiness back; it ends sooner once the JIT has settled. Between 1 second and 2 minutes.
    /// </summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(20);

    internal bool IsValid => MaxDuration >= TimeSpan.FromSeconds(1) && MaxDuration <= TimeSpan.FromMinutes(2);

    internal const string Problem = "Auth:WarmUp:MaxDuration must be between 00:00:01 and 00:02:00.";
}
