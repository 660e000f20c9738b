using AuthService.Application.Account;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Email.Commands.SendVerificationEmail;

/// <summary>The person asks, on the account page, for a link that verifies their address.</summary>
public sealed record SendVerificationEmail(string? SessionHandle, string? RemoteAddress) : IRequest<AccountOutcome>;

/// <summary>Only for an address that is set and not yet verified; throttled per address and source like the password reset.</summary>
public sealed class SendVerificationEmailHandler(
    BrowserSessions browserSessions, EmailLinks links, IEmailRequestThrottle throttle, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<SendVerificationEmail, AccountOutcome>
{
    public const string Sent = "verification-sent";

    public async Task<AccountOutcome> Handle(SendVerificationEmail request, CancellationToken cancellationToken)
    {
        if (await browserSessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        var user = active.User;
        if (user.NormalizedEmail is null || user.EmailVerified)
        {
            return new AccountOutcome.Invalid("There is no unverified e-mail address to confirm.");
        }

        if (!throttle.TryAcquire(user.NormalizedEmail, request.RemoteAddress))
        {
            return new AccountOutcome.Invalid("Too many messages were asked for. Wait a few minutes and try again.");
        }

        links.SendVerification(user, clock.GetUtcNow());
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new AccountOutcome.Done(Sent);
    }
}
