namespace AuthService.Domain.Users;

public interface IUserRepository
{
    Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Whether the account exists and is not disabled: whether its tokens still stand (a lockout does not end them).</summary>
    Task<bool> IsEnabledAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>By normalized username (see <see cref="User.Normalize"/>).</summary>
    Task<User?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken);

    /// <summary>By normalized e-mail address.</summary>
    Task<User?> FindByNormalizedEmailAsync(string normalizedEmail, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="take"/> users matching <paramref name="filter"/>, ordered by normalized username
    /// (unique, so a page boundary is exact), strictly after <paramref name="afterNormalizedUsername"/> when given.
    /// </summary>
    Task<IReadOnlyList<User>> ListAsync(UserFilter filter, string? afterNormalizedUsername, int take, CancellationToken cancellationToken);

    void Add(User user);

    void Remove(User user);
}

/// <summary>
/// Which users a list shows: <see cref="NormalizedPrefix"/> matches the start of the normalized username or
/// e-mail address; <see cref="Disabled"/> and <see cref="LockedOut"/> (locked at <see cref="Now"/>) when given.
/// </summary>
public sealed record UserFilter(string? NormalizedPrefix, bool? Disabled, bool? LockedOut, DateTimeOffset Now);
