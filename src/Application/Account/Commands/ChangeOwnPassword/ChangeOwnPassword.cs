using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.SignIn;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Application.Users.Commands.SetUserPassword;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Account.Commands.ChangeOwnPassword;

/// <summary>The person changes their password: the current one, and the new one twice.</summary>
public sealed record ChangeOwnPassword(
    string? SessionHandle, string? CurrentPassword, string? NewPassword, string? ConfirmPassword, string? RemoteAddress, string? UserAgent)
    : IRequest<AccountOutcome>
{
    /// <summary>Never prints a password.</summary>
    public override string ToString() => "ChangeOwnPassword { (passwords redacted) }";
}

/// <summary>
/// The current password is checked first (ASVS 6.2.3); a wrong one counts as a failed sign-in of the account (lockout,
/// ASVS 6.1.1) and of the address (throttle), audited. Then the administrator's <see cref="SetUserPassword"/> path: the
/// password policy, a new security stamp ending every session and refresh-token family of the person, with logout
/// notifications in the same save (ASVS 7.4.3). This browser then signs in again with the new password through
/// <see cref="PasswordSignIn"/>, which gives it a new session under a new handle (session fixation, ASVS 7.2.4).
/// </summary>
public sealed class ChangeOwnPasswordHandler(
    BrowserSessions browserSessions,
    IPasswordHasher hasher,
    ILoginThrottle throttle,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    PasswordSignIn passwords,
    IMediator sender,
    TimeProvider clock) : IRequestHandler<ChangeOwnPassword, AccountOutcome>
{
    public const string Changed = "password-changed";

    public async Task<AccountOutcome> Handle(ChangeOwnPassword request, CancellationToken cancellationToken)
    {
        if (await browserSessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        if (throttle.RetryAfter(request.RemoteAddress) is not null)
        {
            return new AccountOutcome.Invalid("Too many failed attempts from your network. Wait a few minutes and try again.");
        }

        if (!string.Equals(request.NewPassword, request.ConfirmPassword, StringComparison.Ordinal))
        {
            return new AccountOutcome.Invalid("The two new passwords are not the same.");
        }

        if (PasswordPolicy.Validate(request.NewPassword) is { } refusal)
        {
            return new AccountOutcome.Invalid("The new " + refusal);
        }

        var user = active.User;
        if (!await CurrentPasswordMatchesAsync(user, request.CurrentPassword, cancellationToken))
        {
            throttle.RecordFailure(request.RemoteAddress);
            audit.Record(AuditEvents.SignInFailed(user.Id, "wrong_current_password", clientId: null));
            user.RecordFailedLogin(clock.GetUtcNow(), LockoutPolicy.Default);
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
            return new AccountOutcome.Invalid("The current password is not correct.");
        }

        await sender.Send(new SetUserPassword(user.Id, request.NewPassword), cancellationToken);
        // The session's second factor stands for the new session too: the person proved it in this browser already.
        var signedIn = await passwords.SignInAsync(user.Username, request.NewPassword, request.SessionHandle, request.RemoteAddress, request.UserAgent,
            clientId: null, cancellationToken, provenMethods: active.Session.AuthenticationMethods);
        return signedIn.SessionHandle is { } handle ? new AccountOutcome.Done(Changed, handle) : AccountOutcome.SignInFirst;
    }

    private async Task<bool> CurrentPasswordMatchesAsync(User user, string? password, CancellationToken cancellationToken)
    {
        if (user.PasswordHash is null || string.IsNullOrEmpty(password) || password.Length > PasswordPolicy.MaxLength)
        {
            return false;
        }

        using var slot = await throttle.EnterPasswordCheckAsync(cancellationToken);
        return slot is not null && hasher.Verify(user.PasswordHash, password) != PasswordVerification.Failed;
    }
}
