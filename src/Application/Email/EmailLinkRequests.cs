using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Email.Commands.RequestPasswordReset;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;

namespace AuthService.Application.Email;

/// <summary>
/// A link asked for by address (a password reset, a sign-in link): the same answer and the same work whether or not the
/// address belongs to an account (ASVS 6.3.8; the account-enumeration reports against Keycloak's reset flow are the
/// cautionary tale). The request path never looks the address up: it writes one <see cref="EmailRequest"/> row and saves,
/// for every address alike, and the e-mail request worker resolves it afterwards (<see cref="EmailRequestResolver"/>), so
/// the answer's timing carries nothing about the account. Throttled per address and per source before the row is written.
/// </summary>
public sealed class EmailLinkRequests(IEmailRequestRepository requests, IEmailRequestThrottle throttle, IUnitOfWork unitOfWork, TimeProvider clock)
{
    /// <summary>A password-reset link, or the "no account" notice.</summary>
    public Task<PasswordResetRequested> RequestPasswordResetAsync(string? email, string? remoteAddress, CancellationToken cancellationToken) =>
        RequestAsync(email, remoteAddress, EmailRequestKind.PasswordReset, continuation: null, cancellationToken);

    /// <summary>
    /// A sign-in link (docs/adr/0033 "Magic links"), continuing <paramref name="continuation"/> once used when it was asked
    /// for on the authorization or device page; or the "no account" notice: the same answer, work and throttle on every page.
    /// </summary>
    public Task<PasswordResetRequested> RequestSignInLinkAsync(
        string? email, string? remoteAddress, SignInContinuation? continuation, CancellationToken cancellationToken) =>
        RequestAsync(email, remoteAddress, EmailRequestKind.SignInLink, continuation, cancellationToken);

    private async Task<PasswordResetRequested> RequestAsync(
        string? email, string? remoteAddress, EmailRequestKind kind, SignInContinuation? continuation, CancellationToken cancellationToken)
    {
        var address = email?.Trim();
        try
        {
            User.ValidateProfile(new UserProfile("-", address, EmailVerified: false, Name: null));
        }
        catch (DomainRuleViolationException)
        {
            return PasswordResetRequested.InvalidAddress;
        }

        if (string.IsNullOrEmpty(address))
        {
            return PasswordResetRequested.InvalidAddress;
        }

        if (!throttle.TryAcquire(User.Normalize(address), remoteAddress))
        {
            return PasswordResetRequested.Throttled;
        }

        requests.Add(EmailRequest.Create(Guid.NewGuid(), kind, address, remoteAddress, continuation, clock.GetUtcNow()));
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return PasswordResetRequested.Accepted;
    }
}
