namespace AuthService.Application.Tests.Fakes;

/// <summary>
/// Where the tests' clock starts. The clock itself is <see cref="FakeTimeProvider"/> from
/// Microsoft.Extensions.TimeProvider.Testing (moved with <c>Advance</c>), the one fake clock of every test project.
/// </summary>
internal static class TestClock
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
}
