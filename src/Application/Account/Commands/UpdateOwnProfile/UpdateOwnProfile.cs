using AuthService.Application.Common.Exceptions;
using AuthService.Application.Email;
using AuthService.Application.SignIn;
using AuthService.Application.Users;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Account.Commands.UpdateOwnProfile;

/// <summary>The person changes their name and e-mail address on the account page (the username is fixed). Empty clears a field.</summary>
public sealed record UpdateOwnProfile(string? SessionHandle, string? Name, string? Email) : IRequest<AccountOutcome>;

/// <summary>
/// <see cref="User.UpdateProfile"/> for the session's own user. A changed e-mail address is no longer verified: the person
/// has not shown they read it (ASVS 6.4: an address is verified by a message sent to it). Bad input re-renders
/// the form with a message and changes nothing. A new address is sent a verification link in the same save (the outbox:
/// the change and its message are stored together).
/// </summary>
public sealed class UpdateOwnProfileHandler(BrowserSessions browserSessions, IUserRepository users, EmailLinks links, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<UpdateOwnProfile, AccountOutcome>
{
    public const string Saved = "profile-saved";

    /// <summary>Saved with a new e-mail address, which is not verified.</summary>
    public const string SavedUnverified = "profile-saved-unverified";

    public async Task<AccountOutcome> Handle(UpdateOwnProfile request, CancellationToken cancellationToken)
    {
        if (await browserSessions.FindActiveAsync(request.SessionHandle, cancellationToken) is not { } active)
        {
            return AccountOutcome.SignInFirst;
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        var email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        if (name is { Length: > User.MaxNameLength })
        {
            return new AccountOutcome.Invalid($"The name must be at most {User.MaxNameLength} characters.");
        }

        var user = active.User;
        var sameEmail = string.Equals(email, user.Email, StringComparison.Ordinal);
        var profile = new UserProfile(user.Username, email, sameEmail && user.EmailVerified, name);
        try
        {
            User.ValidateProfile(profile);
            await users.EnsureUniqueAsync(username: null, email, user.Id, cancellationToken);
        }
        catch (DomainRuleViolationException)
        {
            return new AccountOutcome.Invalid("Enter a valid e-mail address, or leave it empty.");
        }
        catch (ConflictException)
        {
            return new AccountOutcome.Invalid("This e-mail address cannot be used for your account.");
        }

        var now = clock.GetUtcNow();
        if (user.UpdateProfile(profile, now))
        {
            if (!sameEmail && email is not null)
            {
                links.SendVerification(user, now);
            }

            var save = await unitOfWork.SaveChangesAsync(cancellationToken);
            if (save == SaveResult.UniquenessConflict)
            {
                // Another account took the address between the check and the save (the unique index decides).
                return new AccountOutcome.Invalid("This e-mail address cannot be used for your account.");
            }

            save.ThrowIfConflict();
        }

        return new AccountOutcome.Done(sameEmail || email is null ? Saved : SavedUnverified);
    }
}
