using AuthService.Domain.Common;

namespace AuthService.Application.Common.Persistence;

/// <summary>
/// The one retry policy for lost optimistic-concurrency races. A unit is a whole read-decide-write step: it
/// reads the aggregates, lets them decide, saves, and reports the save's <see cref="SaveResult"/> (a unit that
/// decides to write nothing reports <see cref="SaveResult.Saved"/>: it lost nothing). A conflict reruns the whole
/// unit, which reads fresh state (the unit of work forgets everything after a conflict), so the rerun decides
/// again on what the winner committed, never on what this attempt had read.
/// </summary>
public static class ConflictRetry
{
    /// <summary>
    /// A rerun is needed only when another request committed to the same aggregate in between. The contended
    /// aggregates are one user's account (parallel sign-ins counting failures, two tabs), one session or one
    /// refresh token family, so the number of writers racing is a handful of that person's requests; five attempts
    /// let each of five concurrent writers win once. A unit whose race leaves a terminal state (a code redeemed,
    /// a refresh token consumed, a family revoked) ends on its second attempt anyway. Beyond five, the store is
    /// not contended by a person but by something else, and the caller's answer for a lost race is the right one.
    /// </summary>
    public const int MaxAttempts = 5;

    /// <summary>Runs <paramref name="unit"/> until it does not lose a race, at most <see cref="MaxAttempts"/> times; returns the last result.</summary>
    public static Task<SaveResult> RunAsync(Func<CancellationToken, Task<SaveResult>> unit, CancellationToken cancellationToken) =>
        RunAsync(async ct =>
        {
            var save = await unit(ct);
            return (save, save);
        }, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync(Func{CancellationToken, Task{SaveResult}}, CancellationToken)"/>, for a unit that also
    /// answers: its answer for a lost race is what the caller gets if the race is still lost after the last attempt.
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<(T Answer, SaveResult Save)>> unit, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (answer, save) = await unit(cancellationToken);
            if (save == SaveResult.Saved || attempt == MaxAttempts)
            {
                return answer;
            }
        }
    }
}
