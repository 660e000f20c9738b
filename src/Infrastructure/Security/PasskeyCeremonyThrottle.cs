using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.Passkeys;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security;

/// <summary>Ceremony starts per source address (an IPv6 address by its /64, <see cref="AddressKey"/>; <c>Auth:Passkeys:CeremoniesPerAddress</c> within <c>CeremonyWindow</c>); per replica, like the login throttle.</summary>
public sealed class PasskeyCeremonyThrottle(IOptions<PasskeyOptions> options, TimeProvider clock) : IPasskeyCeremonyThrottle
{
    private readonly FailureCounter _starts = new(options.Value.CeremoniesPerAddress, options.Value.CeremonyWindow, clock);

    public TimeSpan? TryAcquire(string? remoteAddress)
    {
        var source = AddressKey.For(remoteAddress);
        if (_starts.RetryAfter(source) is { } wait)
        {
            return wait;
        }

        _starts.RecordFailure(source);
        return null;
    }
}
