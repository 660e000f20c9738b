using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.SignIn;
using AuthService.Domain.Common;
using AuthService.Domain.SecondFactors;
using MediatR;

namespace AuthService.Application.Account.Commands.BeginTotpEnrolment;

/// <summary>The person starts adding an authenticator app.</summary>
public sealed record BeginTotpEnrolment(string? SessionHandle) : IRequest<AccountOutcome>;

/// <summary>
/// A new 160-bit secret, encrypted at rest; the authenticator stays pending (not a second factor) until a typed code
/// confirms it, so a secret never scanned locks nobody out. Refused while an authenticator is confirmed (remove it first).
/// </summary>
public sealed class BeginTotpEnrolmentHandler(
    BrowserSessions sessions, ISecondFactorEnrolmentRepository enrolments, ITotpSecrets secrets, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<BeginTotpEnrolment, AccountOutcome>
{
    public const string Started = "totp-started";

    public async Task<AccountOutcome> Handle(BeginTotpEnrolment request, CancellationToken cancellationToken)
    {
        if (await sessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        var enrolment = await enrolments.FindByUserIdAsync(active.User.Id, cancellationToken);
        if (enrolment is { IsActive: true })
        {
            return new AccountOutcome.Invalid("You already have an authenticator app. Remove it before adding another.");
        }

        if (enrolment is null)
        {
            enrolment = SecondFactorEnrolment.For(active.User.Id);
            enrolments.Add(enrolment);
        }

        var secret = secrets.Generate(active.User.Id);
        enrolment.BeginTotp(secret.ProtectedSecret, secret.KeyEncryptionKeyId, clock.GetUtcNow());
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new AccountOutcome.Done(Started);
    }
}
