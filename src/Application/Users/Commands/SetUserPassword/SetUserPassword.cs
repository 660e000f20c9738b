using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Application.Tokens.Common;
using AuthService.Application.Users.Commands.CreateUser;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using FluentValidation;
using MediatR;

namespace AuthService.Application.Users.Commands.SetUserPassword;

/// <summary>
/// Sets a new password chosen by an administrator (a reset, or the first password of a user created
/// without one). The new security stamp ends the user's sessions and unredeemed codes, and the user's
/// refresh token families are revoked at once, with their access tokens (RFC 9700 §4.14.2; ASVS 7.4.3;
/// RFC 9700 §4.14.2): a reset usually means the old password is not to be trusted.
/// </summary>
public sealed record SetUserPassword(Guid Id, string? Password, int? ExpectedVersion = null) : IRequest<Unit>
{
    /// <summary>Never the password.</summary>
    public override string ToString() => $"SetUserPassword {{ Id = {Id}, Password = (redacted), ExpectedVersion = {ExpectedVersion} }}";
}

public sealed class SetUserPasswordValidator : AbstractValidator<SetUserPassword>
{
    public SetUserPasswordValidator() => RuleFor(c => c.Password).SetPasswordPolicy();
}

public sealed class SetUserPasswordHandler(
    IUserRepository users,
    IPasswordHasher hasher,
    GrantCleanup grants,
    Logout.LogoutPropagation logout,
    IUnitOfWork unitOfWork,
    TimeProvider clock) : IRequestHandler<SetUserPassword, Unit>
{
    public const string RevocationReason = "password_changed";

    public async Task<Unit> Handle(SetUserPassword request, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(request.Id, cancellationToken);
        Concurrency.Check(user.Version, request.ExpectedVersion);
        var now = clock.GetUtcNow();
        var stamp = user.SecurityStamp;
        user.ChangePassword(hasher.Hash(request.Password!), SecurityStamp.New(), now);

        // The new stamp ends every session; its clients are told in the same save (Back-Channel Logout 1.0 §2.5).
        await logout.EnqueueForUserAsync(user.Id, stamp, Logout.LogoutPropagation.ReasonPasswordChanged, now, cancellationToken);
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();

        // After the save: from here the old stamp refuses every grant anyway; this also denylists access tokens.
        await grants.RevokeGrantsAsync(user.Id, clientId: null, RevocationReason, cancellationToken);
        return Unit.Value;
    }
}
