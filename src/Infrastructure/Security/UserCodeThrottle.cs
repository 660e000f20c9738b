using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.DeviceAuthorizations;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// Wrong user codes per source address (an IPv6 address by its /64, <see cref="AddressKey"/>; <c>Auth:DeviceAuthorization:UserCodeFailuresPerAddress</c> within
/// <c>UserCodeFailureWindow</c>), counted like failed sign-ins (<see cref="LoginThrottle"/>): per replica.
/// </summary>
public sealed class UserCodeThrottle(IOptions<DeviceAuthorizationOptions> options, TimeProvider clock) : IUserCodeThrottle
{
    private readonly FailureCounter _failures = new(options.Value.UserCodeFailuresPerAddress, options.Value.UserCodeFailureWindow, clock);

    public TimeSpan? RetryAfter(string? remoteAddress) => _failures.RetryAfter(AddressKey.For(remoteAddress));

    public void RecordFailure(string? remoteAddress) => _failures.RecordFailure(AddressKey.For(remoteAddress));
}
