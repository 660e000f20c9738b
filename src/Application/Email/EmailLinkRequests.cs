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
/// cautionary tale): a random token is hashed and one outbox row written either way, so the response time does not tell.
/// A disabled account is treated as no account. Throttled per address and per source before any lookup.
/// </summary>
public sealed class EmailLinkRequests(IUserRepository users, IEmailRequestThrottle throttle, IUnitOfWork unitOfWork, TimeProvider clock)
{
    public async Task<PasswordResetRequested> RequestAsync(
        string? email, string? remoteAddress, Action<User, DateTimeOffset> send, Action<string, DateTimeOffset> noAccount, CancellationToken cancellationToken)
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

        var normalized = User.Normalize(address);
        if (!throttle.TryAcquire(normalized, remoteAddress))
        {
            return PasswordResetRequested.Throttled;
        }

        var now = clock.GetUtcNow();
        var user = await users.FindByNormalizedEmailAsync(normalized, cancellationToken);
        if (user is { Disabled: false })
        {
            send(user, now);
        }
        else
        {
            noAccount(address, now);
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return PasswordResetRequested.Accepted;
    }

    /// <summary>
    /// A sign-in link (docs/adr/0033 "Magic links"), continuing <paramref name="continuation"/> once used when it was asked
    /// for on the authorization or device page; or the "no account" notice: the same answer, work and throttle on every page.
    /// </summary>
    public Task<PasswordResetRequested> RequestSignInLinkAsync(
        string? email, string? remoteAddress, EmailLinks links, SignInContinuation? continuation, CancellationToken cancellationToken) =>
        RequestAsync(email, remoteAddress, (user, now) => links.SendMagicLink(user, now, continuation),
            (address, now) => links.RecordNoAccount(address, now, signIn: true), cancellationToken);
}
