using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Persistence;
using AuthService.Application.SignIn.Commands.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.SecondFactors;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.SignIn;

/// <summary>
/// The second step of every sign-in form: the pending sign-in of <see cref="PasswordSignIn"/> and a TOTP code (RFC 6238)
/// or a backup code. A wrong or replayed code counts as a failed sign-in of the account (lockout) and of the address
/// (throttle), and of the pending sign-in, which is void after <see cref="PendingSignIn.MaxAttempts"/>; so a six-digit
/// code cannot be guessed (ASVS 6.3.1, 6.6.3). The code and the pending sign-in are spent in one save, so two posts
/// of one code cannot both finish (RFC 6238 §5.2; ASVS 6.5.1). Only then does the session start, under a new handle
/// (ASVS 7.2.4), with <c>amr</c> the first factor's values (pwd after a password, email after a sign-in link), otp and mfa
/// (RFC 8176 §2; <see cref="AuthenticationMethods.WithSecondFactor"/>). Every failure looks the same to the browser.
/// </summary>
public sealed partial class SecondFactorSignIn(
    IPendingSignInRepository pendingSignIns,
    IUserSessionRepository sessions,
    ISecondFactorEnrolmentRepository enrolments,
    IUserRepository users,
    SecondFactorCodes codes,
    ILoginThrottle throttle,
    IUnitOfWork unitOfWork,
    IAuditTrail audit,
    PasswordSignIn passwords,
    TimeProvider clock,
    ILogger<SecondFactorSignIn> logger)
{
    /// <summary>
    /// Finishes the pending sign-in named by <paramref name="pendingHandle"/>: the new session's handle; or, after a wrong code,
    /// the same pending handle (ask again); or neither when the pending sign-in is gone (expired, spent, out of attempts,
    /// the account locked): the browser starts over with the password.
    /// </summary>
    public async Task<PasswordSignInResult> CompleteAsync(
        string? pendingHandle, string? code, string? currentSessionHandle, string? remoteAddress, string? userAgent, CancellationToken cancellationToken)
    {
        if (pendingHandle is not { Length: OpaqueToken.HashLength })
        {
            return new PasswordSignInResult(null, null);
        }

        if (throttle.RetryAfter(remoteAddress) is { } wait)
        {
            LogThrottled(logger, remoteAddress);
            return new PasswordSignInResult(null, wait, pendingHandle);
        }

        var check = await ConflictRetry.RunAsync(ct => CheckOnceAsync(pendingHandle, code, ct), cancellationToken);
        switch (check)
        {
            case Checked.Accepted { SessionId: { } steppedUp } accepted:
                return new PasswordSignInResult(await StepUpAsync(steppedUp, accepted.UserId, currentSessionHandle, cancellationToken), null);
            case Checked.Accepted accepted:
                var handle = await passwords.StartSessionAsync(accepted.UserId, upgradedHash: null, currentSessionHandle,
                    SessionDevice.Of(userAgent, remoteAddress),
                    AuthenticationMethods.WithSecondFactor(accepted.FirstFactor, AuthenticationMethods.OneTimePassword), cancellationToken);
                if (handle is not null)
                {
                    PasswordSignIn.LogSignedIn(logger, accepted.UserId, accepted.ClientId);
                }

                return new PasswordSignInResult(handle, null);
            case Checked.Refused refused:
                throttle.RecordFailure(remoteAddress);
                audit.Record(AuditEvents.SignInFailed(refused.UserId, refused.Replayed ? "replayed_second_factor" : "wrong_second_factor", refused.ClientId));
                var usable = await ConflictRetry.RunAsync(ct => CountFailureOnceAsync(pendingHandle, ct), cancellationToken);
                LogFailed(logger, refused.ClientId, remoteAddress);
                return new PasswordSignInResult(null, null, usable ? pendingHandle : null);
            default:
                return new PasswordSignInResult(null, null);
        }
    }

    /// <summary>One read-decide-write attempt: a rerun after a lost race reads the code's step and the pending sign-in as the winner left them.</summary>
    private async Task<(Checked Answer, SaveResult Save)> CheckOnceAsync(string pendingHandle, string? code, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await FindUsableAsync(pendingHandle, now, cancellationToken) is not { } found)
        {
            return (Checked.Gone, SaveResult.Saved);
        }

        var (pending, user) = found;
        var enrolment = await enrolments.FindByUserIdAsync(user.Id, cancellationToken);
        var check = enrolment is null ? SecondFactorCheck.Rejected : codes.Check(enrolment, code, now);
        if (check != SecondFactorCheck.Accepted)
        {
            // Nothing changed: a refused code leaves the enrolment as it was.
            return (new Checked.Refused(user.Id, pending.ClientId, check == SecondFactorCheck.Replayed), SaveResult.Saved);
        }

        pending.Complete(now);
        return (new Checked.Accepted(user.Id, pending.ClientId, pending.SessionId, pending.FirstFactorMethods), await unitOfWork.SaveChangesAsync(cancellationToken));
    }

    /// <summary>
    /// Raises the browser's own session to two factors under a new handle (its id, clients and grants stay). Only the
    /// session the step-up was begun for, presented by this browser; null when it ended meanwhile (sign in again).
    /// </summary>
    private async Task<string?> StepUpAsync(Guid sessionId, Guid userId, string? currentSessionHandle, CancellationToken cancellationToken)
    {
        var (handle, save) = await ConflictRetry.RunAsync<(string?, SaveResult)>(async ct =>
        {
            var now = clock.GetUtcNow();
            var session = await sessions.FindAsync(sessionId, ct);
            var user = await users.FindByIdAsync(userId, ct);
            if (session is null || user is null || session.UserId != userId || user.Disabled || user.IsLockedOut(now)
                || currentSessionHandle is not { Length: OpaqueToken.HashLength } || OpaqueToken.HashOf(currentSessionHandle) != session.HandleHash)
            {
                return ((null, SaveResult.Saved), SaveResult.Saved);
            }

            var next = OpaqueToken.New();
            if (!session.AddSecondFactor(OpaqueToken.HashOf(next), now, user.SecurityStamp))
            {
                return ((null, SaveResult.Saved), SaveResult.Saved);
            }

            user.RecordSuccessfulLogin(now);
            var saved = await unitOfWork.SaveChangesAsync(ct);
            return ((saved == SaveResult.Saved ? next : null, saved), saved);
        }, cancellationToken);
        save.ThrowIfConflict();
        return handle;
    }

    /// <summary>Counts a wrong code on the pending sign-in and on the account (lockout); whether the pending sign-in is still usable after it.</summary>
    private async Task<(bool Usable, SaveResult Save)> CountFailureOnceAsync(string pendingHandle, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await FindUsableAsync(pendingHandle, now, cancellationToken) is not { } found)
        {
            return (false, SaveResult.Saved);
        }

        var (pending, user) = found;
        pending.RecordFailedAttempt(now);
        user.RecordFailedLogin(now, LockoutPolicy.Default);
        var save = await unitOfWork.SaveChangesAsync(cancellationToken);
        return (pending.IsUsable(now, user.SecurityStamp) && !user.IsLockedOut(now), save);
    }

    /// <summary>The pending sign-in and its user, when it can still finish: not spent, expired or out of attempts; the user enabled, not locked out, credentials unchanged.</summary>
    private async Task<(PendingSignIn Pending, User User)?> FindUsableAsync(string pendingHandle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pending = await pendingSignIns.FindByHandleHashAsync(OpaqueToken.HashOf(pendingHandle), cancellationToken);
        var user = pending is null ? null : await users.FindByIdAsync(pending.UserId, cancellationToken);
        return pending is not null && user is { Disabled: false } && !user.IsLockedOut(now) && pending.IsUsable(now, user.SecurityStamp)
            ? (pending, user)
            : null;
    }

    private abstract record Checked
    {
        public static readonly Checked Gone = new Void();

        public sealed record Accepted(Guid UserId, string? ClientId, Guid? SessionId, IReadOnlyList<string> FirstFactor) : Checked;

        public sealed record Refused(Guid UserId, string? ClientId, bool Replayed) : Checked;

        public sealed record Void : Checked;
    }

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Security event login_second_factor_failed: for client {ClientId} from {RemoteAddress}")]
    private static partial void LogFailed(ILogger logger, string? clientId, string? remoteAddress);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Security event login_throttled: second factor from {RemoteAddress}")]
    private static partial void LogThrottled(ILogger logger, string? remoteAddress);
}
