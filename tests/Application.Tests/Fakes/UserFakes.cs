using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Users;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Hands back the same instances it was given, as a tracking persistence context would.</summary>
internal sealed class InMemoryUserRepository : IUserRepository
{
    public List<User> Users { get; } = [];

    public Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.Id == id));

    public Task<bool> IsEnabledAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Users.Any(u => u.Id == id && !u.Disabled));

    public Task<User?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => string.Equals(u.NormalizedUsername, normalizedUsername, StringComparison.Ordinal)));

    public Task<User?> FindByNormalizedEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => string.Equals(u.NormalizedEmail, normalizedEmail, StringComparison.Ordinal)));

    public Task<IReadOnlyList<User>> ListAsync(UserFilter filter, string? afterNormalizedUsername, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<User>>([.. Users
            .Where(u => filter.NormalizedPrefix is not { } prefix
                || u.NormalizedUsername.StartsWith(prefix, StringComparison.Ordinal)
                || u.NormalizedEmail?.StartsWith(prefix, StringComparison.Ordinal) == true)
            .Where(u => filter.Disabled is not { } disabled || u.Disabled == disabled)
            .Where(u => filter.LockedOut is not { } locked || u.IsLockedOut(filter.Now) == locked)
            .Where(u => afterNormalizedUsername is null || string.CompareOrdinal(u.NormalizedUsername, afterNormalizedUsername) > 0)
            .OrderBy(u => u.NormalizedUsername, StringComparer.Ordinal)
            .Take(take)]);

    public void Add(User user) => Users.Add(user);

    public void Remove(User user) => Users.Remove(user);
}

/// <summary>
/// A transparent, fast stand-in for the slow hasher: "hash:" + password. A hash made with "old
/// parameters" is written <see cref="LegacyPrefix"/> + password: it verifies, but asks for a re-hash.
/// </summary>
internal sealed class FakePasswordHasher : IPasswordHasher
{
    public const string CurrentPrefix = "hash:";

    public const string LegacyPrefix = "legacy:";

    /// <summary>How many hashes were computed (the real hasher is deliberately slow).</summary>
    public int HashCalls { get; private set; }

    public string Hash(string password)
    {
        HashCalls++;
        return CurrentPrefix + password;
    }

    public PasswordVerification Verify(string passwordHash, string password) =>
        passwordHash == CurrentPrefix + password ? PasswordVerification.Success
        : passwordHash == LegacyPrefix + password ? PasswordVerification.SuccessRehashNeeded
        : PasswordVerification.Failed;
}
