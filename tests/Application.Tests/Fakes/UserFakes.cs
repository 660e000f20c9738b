using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Users;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Hands back the same instances it was given, as a tracking persistence context would.</summary>
internal sealed class InMemoryUserRepository : IUserRepository
{
    public List<User> Users { get; } = [];

    public Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => u.Id == id));

    public Task<User?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        Task.FromResult(Users.FirstOrDefault(u => string.Equals(u.NormalizedUsername, normalizedUsername, StringComparison.Ordinal)));

    public void Add(User user) => Users.Add(user);
}

/// <summary>A transparent, fast stand-in for the slow hasher: "hash:" + password.</summary>
internal sealed class FakePasswordHasher : IPasswordHasher
{
    public string Hash(string password) => "hash:" + password;

    public PasswordVerification Verify(string passwordHash, string password) =>
        passwordHash == Hash(password) ? PasswordVerification.Success : PasswordVerification.Failed;
}
