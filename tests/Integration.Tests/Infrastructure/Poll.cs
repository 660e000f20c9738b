using System.Diagnostics;
using Xunit.Sdk;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// Waiting for something another part of the system does on its own schedule (a job, a replica's key
/// refresh): probe every 200 ms until the answer is acceptable, and fail after a deadline with what was
/// awaited and the last answer seen. No test asserts on how long it took.
/// </summary>
public static class Poll
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> accept,
        TimeSpan deadline,
        string awaited,
        Func<T, string>? describe = null)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var answer = await probe();
            if (accept(answer))
            {
                return answer;
            }

            if (watch.Elapsed > deadline)
            {
                throw new XunitException(
                    $"Gave up after {deadline.TotalSeconds:0} s waiting for {awaited}. Last seen: {(describe is null ? answer?.ToString() : describe(answer))}");
            }

            await Task.Delay(Interval);
        }
    }
}
