namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Bounds how many passkey ceremonies (registration and assertion options) one source address may start (ASVS 2.4.1
/// anti-automation): every start writes a row to <c>passkey_ceremonies</c>, so without a limit one address could fill the
/// table faster than the clean-up job empties it.
/// </summary>
public interface IPasskeyCeremonyThrottle
{
    /// <summary>Counts one start; the time to wait (and nothing is to be started) when the address's budget is spent.</summary>
    TimeSpan? TryAcquire(string? remoteAddress);
}
