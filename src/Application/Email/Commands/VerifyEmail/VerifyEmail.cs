using AuthService.Application.Email.Queries.CheckEmailLink;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Email.Commands.VerifyEmail;

/// <summary>The person confirms their address with the link's token (the POST of <c>/account/verify-email</c>).</summary>
public sealed record VerifyEmail(string? Token) : IRequest<EmailLinkOutcome>
{
    /// <summary>Never the token.</summary>
    public override string ToString() => "VerifyEmail { Token = (redacted) }";
}

/// <summary>
/// Uses the token up and marks the address verified, in one save: only when the user's address is still the one the link
/// was sent to (<see cref="EmailToken.Check"/>). Of two uses racing, the token's concurrency token lets one win; the
/// other is told the link was used.
/// </summary>
public sealed class VerifyEmailHandler(EmailTokenLookup lookup, IUnitOfWork unitOfWork, TimeProvider clock) : IRequestHandler<VerifyEmail, EmailLinkOutcome>
{
    public async Task<EmailLinkOutcome> Handle(VerifyEmail request, CancellationToken cancellationToken)
    {
        if (await lookup.FindAsync(request.Token, cancellationToken) is not { } found)
        {
            return EmailLinkOutcome.Unknown;
        }

        var now = clock.GetUtcNow();
        var use = found.Token.Consume(EmailTokenPurpose.EmailVerification, found.User, now);
        if (use != EmailTokenUse.Usable)
        {
            return new EmailLinkOutcome.Refused(use);
        }

        var user = found.User!;
        user.UpdateProfile(new UserProfile(user.Username, user.Email, EmailVerified: true, user.Name), now);
        return await unitOfWork.SaveChangesAsync(cancellationToken) == SaveResult.Saved
            ? EmailLinkOutcome.Completed
            : new EmailLinkOutcome.Refused(EmailTokenUse.AlreadyUsed);
    }
}
