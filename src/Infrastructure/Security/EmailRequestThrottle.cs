using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.Email;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security;

/// <summary>Requests per recipient (<c>Auth:Email:RequestsPerAddress</c>) and per source (<c>RequestsPerSource</c>; an IPv6 source by its /64, <see cref="AddressKey"/>) within <c>RequestWindow</c>; per replica, like the login throttle.</summary>
public sealed class EmailRequestThrottle(IOptions<EmailOptions> options, TimeProvider clock) : IEmailRequestThrottle
{
    private readonly FailureCounter _recipients = new(options.Value.RequestsPerAddress, options.Value.RequestWindow, clock);

    private readonly FailureCounter _sources = new(options.Value.RequestsPerSource, options.Value.RequestWindow, clock);

    public bool TryAcquire(string normalizedRecipient, string? remoteAddress)
    {
        var source = AddressKey.For(remoteAddress);
        if (_sources.RetryAfter(source) is not null || _recipients.RetryAfter(normalizedRecipient) is not null)
        {
            return false;
        }

        _sources.RecordFailure(source);
        _recipients.RecordFailure(normalizedRecipient);
        return true;
    }
}
