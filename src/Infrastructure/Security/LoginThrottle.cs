using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// Failed sign-ins per source address (<c>Auth:SignIn:LoginFailuresPerAddress</c> within
/// <c>LoginFailureWindow</c>). Per replica, like the client throttle; the per-account lockout is in the
/// database and holds across replicas.
/// </summary>
public sealed class LoginThrottle(IOptions<SignInOptions> options, TimeProvider clock) : ILoginThrottle
{
    private readonly FailureCounter _failures = new(options.Value.LoginFailuresPerAddress, options.Value.LoginFailureWindow, clock);

    public TimeSpan? RetryAfter(string? remoteAddress) => _failures.RetryAfter(remoteAddress ?? "");

    public void RecordFailure(string? remoteAddress) => _failures.RecordFailure(remoteAddress ?? "");
}
