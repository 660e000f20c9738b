using AuthService.Application.DeviceAuthorizations;
using AuthService.Application.Email.Commands.RequestPasswordReset;
using AuthService.Domain.Email;
using MediatR;

namespace AuthService.Application.Email.Commands.RequestDeviceMagicLink;

/// <summary>
/// Someone asks for a sign-in link for <paramref name="Email"/> on the device page's sign-in form, which carries the user
/// code the person came with, if any (the POST of <c>/device/login/email-link</c>).
/// </summary>
public sealed record RequestDeviceMagicLink(string? UserCode, string? Email, string? RemoteAddress) : IRequest<ContinuedLinkRequested<DevicePageOutcome>>;

/// <summary>
/// A user code is checked as the page checks it (<see cref="DeviceVerification"/>: throttled, a wrong or decided code counts
/// against the address) and, wrong, gets the code form again and no link. Otherwise the link, or the "no account" notice, as
/// on the account page, with the device authorization's key (none without a code) stored beside the link's token: opening
/// the link signs in and shows that device's approval page (docs/adr/0033 "Magic links").
/// </summary>
public sealed class RequestDeviceMagicLinkHandler(DeviceVerification verification, EmailLinkRequests linkRequests)
    : IRequestHandler<RequestDeviceMagicLink, ContinuedLinkRequested<DevicePageOutcome>>
{
    public async Task<ContinuedLinkRequested<DevicePageOutcome>> Handle(RequestDeviceMagicLink request, CancellationToken cancellationToken)
    {
        string? deviceCodeHash = null;
        if (!string.IsNullOrWhiteSpace(request.UserCode))
        {
            var (authorization, refusal) = await verification.FindPendingAsync(request.UserCode, request.RemoteAddress, cancellationToken);
            if (authorization is null)
            {
                return new(PasswordResetRequested.Accepted, refusal);
            }

            deviceCodeHash = authorization.DeviceCodeHash;
        }

        return new(await linkRequests.RequestSignInLinkAsync(request.Email, request.RemoteAddress, SignInContinuation.Device(deviceCodeHash),
            cancellationToken));
    }
}
