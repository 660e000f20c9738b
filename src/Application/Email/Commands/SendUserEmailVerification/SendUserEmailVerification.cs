using AuthService.Application.Common.Exceptions;
using AuthService.Application.Users;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Email.Commands.SendUserEmailVerification;

/// <summary>An administrator sends a user a link that verifies their address (<c>POST /admin/users/{id}/email-verification</c>).</summary>
public sealed record SendUserEmailVerification(Guid Id) : IRequest<Unit>;

/// <summary>The user must exist (else 404) and have an address that is not yet verified (else 400); the message goes out through the outbox.</summary>
public sealed class SendUserEmailVerificationHandler(IUserRepository users, EmailLinks links, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<SendUserEmailVerification, Unit>
{
    public async Task<Unit> Handle(SendUserEmailVerification request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        if (user.Email is null || user.EmailVerified)
        {
            throw RequestValidationException.For("email", user.Email is null ? "The user has no e-mail address." : "The user's e-mail address is already verified.");
        }

        links.SendVerification(user, clock.GetUtcNow());
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
