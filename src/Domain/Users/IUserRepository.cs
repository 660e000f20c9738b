namespace AuthService.Domain.Users;

public interface IUserRepository
{
    Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>By normalized username (see <see cref="User.Normalize"/>).</summary>
    Task<User?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken);

    /// <summary>By normalized e-mail address.</summary>
    Task<User?> FindByNormalizedEmailAsync(string normalizedEmail, CancellationToken cancellationToken);

    void Add(User user);
}
