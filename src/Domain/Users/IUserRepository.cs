namespace AuthService.Domain.Users;

public interface IUserRepository
{
    Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>By normalized username (see <see cref="User.Normalize"/>).</summary>
    Task<User?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken);

    void Add(User user);
}
