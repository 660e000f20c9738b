using AuthService.Application.Email.Commands.RequestPasswordReset;
using MediatR;

namespace AuthService.Application.Email.Commands.RequestMagicLink;

/// <summary>Someone asks for a sign-in link for <paramref name="Email"/> (the POST of <c>/account/signin/email-link</c>).</summary>
public sealed record RequestMagicLink(string? Email, string? RemoteAddress) : IRequest<PasswordResetRequested>;

/// <summary>
/// The sign-in link, or the "no account" notice, by <see cref="EmailLinkRequests"/>: the same answer, wording and work
/// whether or not an account has the address (ASVS 6.3.8), under the reset's throttle.
/// </summary>
public sealed class RequestMagicLinkHandler(EmailLinkRequests requests) : IRequestHandler<RequestMagicLink, PasswordResetRequested>
{
    public Task<PasswordResetRequested> Handle(RequestMagicLink request, CancellationToken cancellationToken) =>
        requests.RequestSignInLinkAsync(request.Email, request.RemoteAddress, continuation: null, cancellationToken);
}
