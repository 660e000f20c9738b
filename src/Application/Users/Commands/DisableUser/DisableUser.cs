using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Security;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using MediatR;

namespace AuthService.Application.Users.Commands.DisableUser;

/// <summary>
/// Disables a user (ASVS 7.4.2): they cannot sign in, the new security stamp ends
/// their browser sessions and unredeemed codes, and their refresh token families are revoked with their
/// access tokens (RFC 9700 §4.14.2). Enabling them later revives none of it.
/// </summary>
public sealed record DisableUser(Guid Id, int? ExpectedVersion = null) : IRequest<UserResult>;

public sealed class DisableUserHandler(IUserRepository users, GrantCleanup grants, Logout.LogoutPropagation logout, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<DisableUser, UserResult>
{
    public const string RevocationReason = "user_disabled";

    public async Task<UserResult> Handle(DisableUser request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        Concurrency.Check(user.Version, request.ExpectedVersion);
        var now = clock.GetUtcNow();
        var stamp = user.SecurityStamp;
        if (!user.Disable(SecurityStamp.New(), now))
        {
            throw RequestValidationException.For("disabled", "The user is already disabled.");
        }

        // The new stamp ends every session; its clients are told in the same save (Back-Channel Logout 1.0 §2.5).
        await logout.EnqueueForUserAsync(user.Id, stamp, Logout.LogoutPropagation.ReasonUserDisabled, now, cancellationToken);

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        var result = UserResult.From(user, now);

        await grants.RevokeGrantsAsync(user.Id, clientId: null, RevocationReason, cancellationToken);
        return result;
    }
}
