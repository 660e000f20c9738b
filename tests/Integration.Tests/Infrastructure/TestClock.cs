namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// The tests' clock is <see cref="FakeTimeProvider"/> (Microsoft.Extensions.TimeProvider.Testing), the same in
/// every test project. Registered as a server's <see cref="TimeProvider"/> (see <see cref="ClockedServer"/>), it is
/// what the handlers read as "now": token <c>iat</c>/<c>exp</c>, the validator's expiry check, the rotation policy,
/// the denylist purge. It stands still until the test calls <c>Advance</c> or <c>SetUtcNow</c>, and never moves
/// backward (both throw). Hangfire schedules on real time, but its jobs' handlers read this clock, so a server on it
/// must have its job server stopped (<see cref="Scheduling.PauseAsync"/>), or a job would run at a moment the test
/// does not choose.
/// Timers created through it fire only when the test moves it; the server's own timers (the key-ring refresh,
/// Kestrel) do not use it.
/// </summary>
public static class TestClock
{
    /// <summary>A clock at the real time rounded down to a whole second (JWT times are whole seconds).</summary>
    public static FakeTimeProvider StartingNow()
    {
        var now = DateTimeOffset.UtcNow;
        return new FakeTimeProvider(new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
    }
}
