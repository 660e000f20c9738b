using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.SignIn;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// Failed sign-ins per source address (an IPv6 address by its /64, <see cref="AddressKey"/>; <c>Auth:SignIn:LoginFailuresPerAddress</c> within
/// <c>LoginFailureWindow</c>). Per replica, like the client throttle; the per-account lockout is in the
/// database and holds across replicas.
/// </summary>
public sealed class LoginThrottle(IOptions<SignInOptions> options, TimeProvider clock) : ILoginThrottle
{
    private readonly SemaphoreSlim _passwordChecks = new(2 * Environment.ProcessorCount);

    private readonly FailureCounter _failures = new(options.Value.LoginFailuresPerAddress, options.Value.LoginFailureWindow, clock);

    public TimeSpan? RetryAfter(string? remoteAddress) => _failures.RetryAfter(AddressKey.For(remoteAddress));

    public void RecordFailure(string? remoteAddress) => _failures.RecordFailure(AddressKey.For(remoteAddress));

    /// <summary>
    /// At most two password hashes per core at once (each is one Argon2id run, docs/adr/0017: CPU time and 19 MiB);
    /// a sign-in waits up to two seconds for a slot, then is turned away. A flood of sign-ins from many
    /// addresses thus costs bounded CPU, and token issuance on the same replica keeps running.
    /// </summary>
    public async Task<IDisposable?> EnterPasswordCheckAsync(CancellationToken cancellationToken) =>
        await _passwordChecks.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken) ? new Slot(_passwordChecks) : null;

    private sealed class Slot(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
