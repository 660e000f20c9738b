namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// A clock that stands still until the test moves it. Registered as the server's
/// <see cref="TimeProvider"/> (see <see cref="AuthServerFactory"/>), it is what the handlers read as
/// "now": token <c>iat</c>/<c>exp</c>, the validator's expiry check, the rotation policy, the denylist
/// purge. Hangfire schedules on real time, but its jobs' handlers read this clock, so a server on it must
/// have its job server stopped (<see cref="Scheduling.PauseAsync"/>), or a job would run at a moment the test does not choose.
/// Timers and timestamps stay on real time (the base implementation): only the wall clock is faked.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _utcTicks;

    /// <summary>Starts at <paramref name="start"/>, or at the real time rounded down to a whole second (JWT times are whole seconds).</summary>
    public ManualTimeProvider(DateTimeOffset? start = null)
    {
        var now = start ?? DateTimeOffset.UtcNow;
        _utcTicks = now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond);
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock forward by <paramref name="duration"/> (never backward).</summary>
    public void Advance(TimeSpan duration)
    {
        Assert.True(duration >= TimeSpan.Zero, $"The test clock only moves forward (asked to move by {duration}).");
        Interlocked.Add(ref _utcTicks, duration.Ticks);
    }

    /// <summary>Moves the clock forward to <paramref name="instant"/>.</summary>
    public void AdvanceTo(DateTimeOffset instant) => Advance(instant - GetUtcNow());
}
