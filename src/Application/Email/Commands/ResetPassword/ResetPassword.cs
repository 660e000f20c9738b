using AuthService.Application.Common.Security;
using AuthService.Application.Email.Queries.CheckEmailLink;
using AuthService.Application.Users.Commands.SetUserPassword;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Email.Commands.ResetPassword;

/// <summary>The person chooses a new password with a reset link's token (the POST of <c>/account/reset-password</c>).</summary>
/// <remarks>With <paramref name="Invitation"/>, the token is an invitation's (docs/adr/0036) and the address is marked verified too.</remarks>
public sealed record ResetPassword(string? Token, string? NewPassword, string? ConfirmPassword, bool Invitation = false) : IRequest<EmailLinkOutcome>
{
    /// <summary>Never the token or a password.</summary>
    public override string ToString() => "ResetPassword { (token and passwords redacted) }";
}

/// <summary>
/// Checks the two passwords before the token is touched (a typo must not waste the link), then, in one transaction, uses the
/// token up (one of two racing uses wins, by the token's concurrency token) and sets the password through the
/// administrator's <see cref="SetUserPassword"/> path: the password policy, a new security stamp that ends every session and
/// refresh-token family with logout notifications (ASVS 7.4.3) and makes every other link of the user useless.
/// </summary>
public sealed class ResetPasswordHandler(EmailTokenLookup lookup, IUnitOfWork unitOfWork, IMediator sender, TimeProvider clock)
    : IRequestHandler<ResetPassword, EmailLinkOutcome>
{
    public async Task<EmailLinkOutcome> Handle(ResetPassword request, CancellationToken cancellationToken)
    {
        if (await lookup.FindAsync(request.Token, cancellationToken) is not { } found)
        {
            return EmailLinkOutcome.Unknown;
        }

        if (!string.Equals(request.NewPassword, request.ConfirmPassword, StringComparison.Ordinal))
        {
            return new EmailLinkOutcome.Invalid("The two new passwords are not the same.");
        }

        if (PasswordPolicy.Validate(request.NewPassword) is { } refusal)
        {
            return new EmailLinkOutcome.Invalid("The new " + refusal);
        }

        var now = clock.GetUtcNow();
        var use = found.Token.Consume(request.Invitation ? EmailTokenPurpose.Invitation : EmailTokenPurpose.PasswordReset, found.User, now);
        if (use != EmailTokenUse.Usable)
        {
            return new EmailLinkOutcome.Refused(use);
        }

        var user = found.User!;
        if (request.Invitation)
        {
            // The link reached this address and its holder used it: the address is the person's (ASVS 6.4).
            user.UpdateProfile(new UserProfile(user.Username, user.Email, EmailVerified: true, user.Name), now);
        }

        var saved = await unitOfWork.ExecuteInTransactionAsync(async ct =>
        {
            var consumed = await unitOfWork.SaveChangesAsync(ct);
            if (consumed != SaveResult.Saved)
            {
                return consumed;
            }

            await sender.Send(new SetUserPassword(user.Id, request.NewPassword), ct);
            return SaveResult.Saved;
        }, cancellationToken);
        // The password change is audited by its event (user.password_changed), in the same save.
        return saved == SaveResult.Saved ? EmailLinkOutcome.Completed : new EmailLinkOutcome.Refused(EmailTokenUse.AlreadyUsed);
    }
}
