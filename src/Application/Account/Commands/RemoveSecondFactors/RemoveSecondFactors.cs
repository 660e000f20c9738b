using AuthService.Application.Audit;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.SecondFactors;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Account.Commands.RemoveSecondFactors;

/// <summary>The person removes their authenticator app (and with it the backup codes), proving it with a current code or a backup code.</summary>
public sealed record RemoveSecondFactors(string? SessionHandle, string? Code, string? RemoteAddress) : IRequest<AccountOutcome>
{
    /// <summary>Never prints the code.</summary>
    public override string ToString() => "RemoveSecondFactors { (code redacted) }";
}

/// <summary>
/// A session alone does not remove a second factor (ASVS 7.5.1: re-authentication before a sensitive change): a
/// current TOTP code or an unused backup code is required. A wrong one counts as a failed sign-in of the account
/// (lockout) and of the address (throttle), as a wrong current password does on the password form.
/// </summary>
public sealed class RemoveSecondFactorsHandler(
    BrowserSessions sessions,
    ISecondFactorEnrolmentRepository enrolments,
    SecondFactorCodes codes,
    ILoginThrottle throttle,
    IAuditTrail audit,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<RemoveSecondFactors, AccountOutcome>
{
    public const string Removed = "second-factors-removed";

    public async Task<AccountOutcome> Handle(RemoveSecondFactors request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        if (throttle.RetryAfter(request.RemoteAddress) is not null)
        {
            return new AccountOutcome.Invalid("Too many failed attempts from your network. Wait a few minutes and try again.");
        }

        var now = clock.GetUtcNow();
        var enrolment = await enrolments.FindByUserIdAsync(active.User.Id, cancellationToken);
        if (enrolment is null || enrolment is { IsActive: false, HasPendingTotp: false })
        {
            return new AccountOutcome.Invalid("There is no authenticator app to remove.");
        }

        // A pending authenticator was never a factor: it goes without a code.
        if (enrolment.IsActive && codes.Check(enrolment, request.Code, now) != SecondFactorCheck.Accepted)
        {
            throttle.RecordFailure(request.RemoteAddress);
            audit.Record(AuditEvents.SignInFailed(active.User.Id, "wrong_second_factor", clientId: null));
            active.User.RecordFailedLogin(now, LockoutPolicy.Default);
            (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
            return new AccountOutcome.Invalid("That code is not right. Type the code your authenticator app shows now, or an unused backup code.");
        }

        enrolment.Remove(SecondFactorEnrolment.RemovedBySelf, now);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new AccountOutcome.Done(Removed);
    }
}
