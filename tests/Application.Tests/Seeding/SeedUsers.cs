using AuthService.Application.Seeding.Commands.ApplySeed;

namespace AuthService.Application.Tests.Seeding;

internal static class SeedUsers
{
    public const string Password = "correct horse battery staple";

    public static SeedUser Alice(string username = "alice", string? password = Password) => new(
        Username: username,
        Email: "alice@example.com",
        Password: password,
        Name: "Alice Example",
        EmailVerified: true);

    public static SeedUser Bob() => new(
        Username: "bob",
        Email: null,
        Password: "bob-password-0123",
        Name: null,
        EmailVerified: null);

    public static SeedDocument Users(params SeedUser[] users) => new(Clients: null, users);
}
