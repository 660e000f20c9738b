namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Counts failed sign-ins per source address (ASVS 6.1.1, 6.3.1): together with the per-account lockout
/// of <see cref="Domain.Users.User"/>, credential stuffing from one address slows down without letting
/// anyone lock a victim out for good. Also bounds how many password hashes run at once.
/// </summary>
public interface ILoginThrottle
{
    TimeSpan? RetryAfter(string? remoteAddress);

    void RecordFailure(string? remoteAddress);

    /// <summary>
    /// A slot to run one password hash in, waiting a little for one to free up; null when the server is
    /// saturated (the caller answers "try again" instead of queueing without bound). Dispose to release.
    /// </summary>
    Task<IDisposable?> EnterPasswordCheckAsync(CancellationToken cancellationToken);
}
