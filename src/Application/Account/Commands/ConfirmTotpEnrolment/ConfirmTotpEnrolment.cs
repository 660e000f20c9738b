using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.SecondFactors;
using MediatR;

namespace AuthService.Application.Account.Commands.ConfirmTotpEnrolment;

/// <summary>The person types the code their new authenticator app shows.</summary>
public sealed record ConfirmTotpEnrolment(string? SessionHandle, string? Code) : IRequest<AccountOutcome>
{
    /// <summary>Never prints the code.</summary>
    public override string ToString() => "ConfirmTotpEnrolment { (code redacted) }";
}

/// <summary>
/// A right code confirms the pending authenticator: from now on the account signs in with two factors (audited as
/// <c>user.second_factor_enrolled</c>). The code's time step counts as used (RFC 6238 §5.2).
/// </summary>
public sealed class ConfirmTotpEnrolmentHandler(
    BrowserSessions sessions, ISecondFactorEnrolmentRepository enrolments, ITotpSecrets secrets, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<ConfirmTotpEnrolment, AccountOutcome>
{
    public const string Enrolled = "totp-enrolled";

    public async Task<AccountOutcome> Handle(ConfirmTotpEnrolment request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        var enrolment = await enrolments.FindByUserIdAsync(active.User.Id, cancellationToken);
        if (enrolment is not { HasPendingTotp: true } || secrets.CodesOf(enrolment) is not { } codes)
        {
            return new AccountOutcome.Invalid("There is no authenticator app waiting for confirmation. Start again.");
        }

        if (enrolment.ConfirmTotp(request.Code?.Trim(), codes, clock.GetUtcNow()) != SecondFactorCheck.Accepted)
        {
            return new AccountOutcome.Invalid("That code is not right. Check that your device's clock is correct and type the code it shows now.");
        }

        // A concurrent confirmation by another tab wins; this one then reads as not pending any more.
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new AccountOutcome.Done(Enrolled);
    }
}
