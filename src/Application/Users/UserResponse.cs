using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Sessions;
using AuthService.Domain.Users;

namespace AuthService.Application.Users;

/// <summary>
/// A user as the admin API shows it. Never the password hash or the security stamp: <c>has_password</c>
/// only says whether the user can sign in with a password at all.
/// </summary>
public sealed record UserResponse(
    Guid Id,
    string Username,
    string? Email,
    bool EmailVerified,
    string? Name,
    bool Disabled,
    bool LockedOut,
    DateTimeOffset? LockoutEndsAt,
    int FailedLoginCount,
    bool HasPassword,
    DateTimeOffset? LastLoginAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary><paramref name="now"/> decides <see cref="LockedOut"/>: a lockout whose end has passed is over.</summary>
    public static UserResponse From(User user, DateTimeOffset now) => new(
        user.Id, user.Username, user.Email, user.EmailVerified, user.Name, user.Disabled, user.IsLockedOut(now),
        user.LockoutEndsAt?.ToUniversalTime(), user.FailedLoginCount, user.PasswordHash is not null, user.LastLoginAt?.ToUniversalTime(),
        user.CreatedAt.ToUniversalTime(), user.UpdatedAt.ToUniversalTime());
}

/// <summary>A user and the version it was read or saved at (the <c>ETag</c>).</summary>
public sealed record UserResult(UserResponse User, int Version)
{
    public static UserResult From(User user, DateTimeOffset now) => new(UserResponse.From(user, now), user.Version);
}

/// <summary>
/// A browser session as the admin API shows it (its id is the OIDC <c>sid</c>); never the handle or its hash. The device:
/// the sign-in's user agent (sanitised, truncated) and address, first seen (the sign-in) and last seen (its latest use,
/// recorded at most once a minute).
/// </summary>
public sealed record UserSessionResponse(
    Guid Id,
    DateTimeOffset AuthenticatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset ExpiresAt,
    string? UserAgent,
    string? Address,
    DateTimeOffset FirstSeenAt)
{
    public static UserSessionResponse From(UserSession session) => new(
        session.Id, session.AuthenticatedAt.ToUniversalTime(), session.LastSeenAt.ToUniversalTime(),
        session.IdleExpiresAt.ToUniversalTime(), session.ExpiresAt.ToUniversalTime(),
        session.UserAgent, session.Address, session.AuthenticatedAt.ToUniversalTime());
}

internal static class UserLookup
{
    public const string Resource = "user";

    /// <summary>The user, or a 404.</summary>
    public static async Task<User> GetAsync(this IUserRepository users, Guid id, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(id, cancellationToken) ?? throw new NotFoundException(Resource, id.ToString());

    /// <summary>
    /// Refuses a username or e-mail address another user holds in normalized form (409). The unique indexes
    /// still decide a race between two writers; this check gives the usual case a clear answer before hashing.
    /// </summary>
    public static async Task EnsureUniqueAsync(this IUserRepository users, string? username, string? email, Guid? self, CancellationToken cancellationToken)
    {
        if (username is not null && await users.FindByNormalizedUsernameAsync(User.Normalize(username), cancellationToken) is { } holder && holder.Id != self)
        {
            throw new Common.Exceptions.ConflictException(Domain.Common.SaveResult.UniquenessConflict); // username taken
        }

        if (email is not null && await users.FindByNormalizedEmailAsync(User.Normalize(email), cancellationToken) is { } owner && owner.Id != self)
        {
            throw new Common.Exceptions.ConflictException(Domain.Common.SaveResult.UniquenessConflict); // e-mail address taken
        }
    }
}
