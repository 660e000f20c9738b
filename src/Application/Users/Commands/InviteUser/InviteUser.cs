using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Security;
using AuthService.Application.Email;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.InviteUser;

/// <summary>
/// An administrator invites someone (<c>POST /admin/users/invitations</c>): a user without a password, whose username is
/// the e-mail address unless one is given, and a message with a single-use link to choose the password.
/// </summary>
public sealed record InviteUser(string? Email, string? Name, string? Username) : IRequest<UserResult>;

/// <summary>
/// The user (address unverified, no password: nobody can sign in as them until the link is used), the invitation token and
/// the message are saved together (the outbox, ADR 0033). The address is required; a username or address another user has
/// is a 409, as for <c>CreateUser</c>. Audited as <c>user.created</c> by the user's event.
/// </summary>
public sealed class InviteUserHandler(IUserRepository users, EmailLinks links, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<InviteUser, UserResult>
{
    public async Task<UserResult> Handle(InviteUser request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            throw RequestValidationException.For("email", "email is required: the invitation is sent to it.");
        }

        var profile = new UserProfile(request.Username ?? request.Email.Trim(), request.Email.Trim(), EmailVerified: false, request.Name);
        User.ValidateUsername(profile.Username);
        User.ValidateProfile(profile);
        await users.EnsureUniqueAsync(profile.Username, profile.Email, self: null, cancellationToken);

        var now = clock.GetUtcNow();
        var user = User.Register(Guid.NewGuid(), profile, passwordHash: null, SecurityStamp.New(), now);
        users.Add(user);
        links.SendInvitation(user, now);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return UserResult.From(user, now);
    }
}
