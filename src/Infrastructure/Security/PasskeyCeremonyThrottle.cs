using AuthService.Application.Common.Interfaces;
using AuthService.Application.Passkeys;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security;

/// <summary>Ceremony starts per source address (<c>Auth:Passkeys:CeremoniesPerAddress</c> within <c>CeremonyWindow</c>); per replica, like the login throttle.</summary>
public sealed class PasskeyCeremonyThrottle(IOptions<PasskeyOptions> options, TimeProvider clock) : IPasskeyCeremonyThrottle
{
    private readonly FailureCounter _starts = new(options.Value.CeremoniesPerAddress, options.Value.CeremonyWindow, clock);

    public TimeSpan? TryAcquire(string? remoteAddress)
    {
        var source = remoteAddress ?? "";
        if (_starts.RetryAfter(source) is { } wait)
        {
            return wait;
        }

        _starts.RecordFailure(source);
        return null;
    }
}
