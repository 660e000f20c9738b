using AuthService.Application.Common.Exceptions;
using AuthService.Application.Seeding.Commands.ApplySeed;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Users;
using AuthService.Domain.Users.Events;
using Microsoft.Extensions.Logging.Abstractions;
using static AuthService.Application.Tests.Seeding.SeedClients;
using static AuthService.Application.Tests.Seeding.SeedUsers;

namespace AuthService.Application.Tests.Seeding;

public class ApplySeedUserTests
{
    private const string StoredStamp = "stored-stamp";

    private static readonly DateTimeOffset Start = TestClock.Start;

    private readonly InMemoryClientRepository _clients = new();
    private readonly InMemoryUserRepository _users = new();
    private readonly FakePasswordHasher _passwords = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly ApplySeedHandler _handler;

    public ApplySeedUserTests()
    {
        _handler = new ApplySeedHandler(_clients, _users, new InMemoryProtectedResourceRepository(), new InMemoryExternalProviderRepository(), new FakeExternalProviderSecrets(), _passwords, new FakeClientSecretProtector(),
            InMemoryLogoutNotificationRepository.Propagation(_clients, new InMemoryUserSessionRepository()), _unitOfWork, _clock, NullLogger<ApplySeedHandler>.Instance);
    }

    private Task<SeedResult> Apply(SeedDocument document) => _handler.Handle(new ApplySeed(document), CancellationToken.None);

    private User Stored(string username) => Assert.Single(_users.Users, u => u.Username == username);

    /// <summary>A user already in the store, as an earlier seed or an earlier hasher version left it.</summary>
    private User Store(string username, string? passwordHash)
    {
        var user = User.Register(Guid.NewGuid(), new UserProfile(username, "alice@example.com", true, "Alice Example"), passwordHash, StoredStamp, Start);
        user.ClearDomainEvents();
        _users.Add(user);
        return user;
    }

    [Fact]
    public async Task Seed_creates_an_absent_user_with_the_hashers_hash_a_random_stamp_and_the_profile()
    {
        var result = await Apply(SeedUsers.Users(Alice()));

        Assert.Equal(new SeedResult(Created: 1, Updated: 0, Unchanged: 0), result);
        Assert.Equal(1, _unitOfWork.Saves);
        var alice = Stored("alice");
        Assert.NotEqual(Guid.Empty, alice.Id);
        Assert.Equal("ALICE", alice.NormalizedUsername);
        Assert.Equal("alice@example.com", alice.Email);
        Assert.Equal("ALICE@EXAMPLE.COM", alice.NormalizedEmail);
        Assert.True(alice.EmailVerified);
        Assert.Equal("Alice Example", alice.Name);
        Assert.Equal("hash:" + Password, alice.PasswordHash);
        Assert.Equal(1, _passwords.HashCalls);
        Assert.Matches("^[0-9a-f]{32}$", alice.SecurityStamp);
        Assert.Equal(Start, alice.CreatedAt);
        Assert.False(alice.Disabled);
    }

    [Fact]
    public async Task Seeded_user_without_email_verified_is_unverified()
    {
        await Apply(SeedUsers.Users(Bob()));

        var bob = Stored("bob");
        Assert.False(bob.EmailVerified);
        Assert.Null(bob.Email);
        Assert.Null(bob.Name);
        Assert.Equal("hash:bob-password-0123", bob.PasswordHash);
    }

    [Fact]
    public async Task Each_created_user_gets_its_own_id_and_security_stamp()
    {
        await Apply(SeedUsers.Users(Alice(), Bob()));

        var alice = Stored("alice");
        var bob = Stored("bob");
        Assert.NotEqual(alice.Id, bob.Id);
        Assert.NotEqual(alice.SecurityStamp, bob.SecurityStamp);
    }

    [Fact]
    public async Task Clients_and_users_are_counted_together_and_saved_once()
    {
        var result = await Apply(new SeedDocument([Service("svc")], [Alice(), Bob()]));

        Assert.Equal(new SeedResult(Created: 3, Updated: 0, Unchanged: 0), result);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Single(_clients.Clients);
        Assert.Equal(2, _users.Users.Count);
    }

    [Fact]
    public async Task Applying_the_same_users_twice_leaves_them_unchanged_without_hashing_again()
    {
        await Apply(SeedUsers.Users(Alice(), Bob()));
        var alice = Stored("alice");
        var stamp = alice.SecurityStamp;
        alice.ClearDomainEvents();
        _clock.Advance(TimeSpan.FromMinutes(1));

        var second = await Apply(SeedUsers.Users(Alice(), Bob()));

        Assert.Equal(new SeedResult(Created: 0, Updated: 0, Unchanged: 2), second);
        Assert.Equal(2, _users.Users.Count);
        Assert.Equal(2, _passwords.HashCalls);
        Assert.Equal(stamp, alice.SecurityStamp);
        Assert.Equal("hash:" + Password, alice.PasswordHash);
        Assert.Equal(Start, alice.UpdatedAt);
        Assert.Empty(alice.DomainEvents);
    }

    [Fact]
    public async Task Changed_name_updates_the_profile_and_keeps_the_hash_and_stamp()
    {
        await Apply(SeedUsers.Users(Alice()));
        var stamp = Stored("alice").SecurityStamp;
        _clock.Advance(TimeSpan.FromMinutes(1));

        var second = await Apply(SeedUsers.Users(Alice() with { Name = "Alice Renamed" }));

        Assert.Equal(new SeedResult(Created: 0, Updated: 1, Unchanged: 0), second);
        var alice = Stored("alice");
        Assert.Equal("Alice Renamed", alice.Name);
        Assert.Equal(stamp, alice.SecurityStamp);
        Assert.Equal("hash:" + Password, alice.PasswordHash);
        Assert.Equal(1, _passwords.HashCalls);
        Assert.Equal(Start.AddMinutes(1), alice.UpdatedAt);
    }

    [Fact]
    public async Task Changed_email_updates_the_normalized_email_and_keeps_the_stamp()
    {
        await Apply(SeedUsers.Users(Alice()));
        var stamp = Stored("alice").SecurityStamp;

        var second = await Apply(SeedUsers.Users(Alice() with { Email = "Alice@New.Example", EmailVerified = false }));

        Assert.Equal(1, second.Updated);
        var alice = Stored("alice");
        Assert.Equal("Alice@New.Example", alice.Email);
        Assert.Equal("ALICE@NEW.EXAMPLE", alice.NormalizedEmail);
        Assert.False(alice.EmailVerified);
        Assert.Equal(stamp, alice.SecurityStamp);
        Assert.Equal(1, _passwords.HashCalls);
    }

    [Fact]
    public async Task Changed_password_replaces_the_hash_and_the_security_stamp()
    {
        await Apply(SeedUsers.Users(Alice()));
        var alice = Stored("alice");
        var oldStamp = alice.SecurityStamp;
        alice.ClearDomainEvents();

        var second = await Apply(SeedUsers.Users(Alice(password: "a-brand-new-password")));

        Assert.Equal(new SeedResult(Created: 0, Updated: 1, Unchanged: 0), second);
        Assert.Equal("hash:a-brand-new-password", alice.PasswordHash);
        Assert.Equal(2, _passwords.HashCalls);
        Assert.NotEqual(oldStamp, alice.SecurityStamp);
        Assert.Matches("^[0-9a-f]{32}$", alice.SecurityStamp);
        Assert.Equal(alice.Id, Assert.IsType<UserPasswordChanged>(Assert.Single(alice.DomainEvents)).UserId);
    }

    [Fact]
    public async Task Changed_password_and_name_count_as_one_update()
    {
        await Apply(SeedUsers.Users(Alice()));

        var second = await Apply(SeedUsers.Users(Alice(password: "a-brand-new-password") with { Name = "Alice Renamed" }));

        Assert.Equal(new SeedResult(Created: 0, Updated: 1, Unchanged: 0), second);
        Assert.Equal("Alice Renamed", Stored("alice").Name);
        Assert.Equal("hash:a-brand-new-password", Stored("alice").PasswordHash);
    }

    [Fact]
    public async Task Correct_password_with_a_legacy_hash_is_rehashed_and_keeps_the_stamp()
    {
        var alice = Store("alice", FakePasswordHasher.LegacyPrefix + Password);

        var result = await Apply(SeedUsers.Users(Alice()));

        Assert.Equal(new SeedResult(Created: 0, Updated: 1, Unchanged: 0), result);
        Assert.Equal("hash:" + Password, alice.PasswordHash);
        Assert.Equal(1, _passwords.HashCalls);
        Assert.Equal(StoredStamp, alice.SecurityStamp);
        Assert.Empty(alice.DomainEvents.OfType<UserPasswordChanged>());
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Existing_user_without_password_gets_the_declared_one_and_a_new_stamp()
    {
        var alice = Store("alice", passwordHash: null);

        var result = await Apply(SeedUsers.Users(Alice()));

        Assert.Equal(1, result.Updated);
        Assert.Equal("hash:" + Password, alice.PasswordHash);
        Assert.NotEqual(StoredStamp, alice.SecurityStamp);
    }

    [Fact]
    public async Task Username_differing_only_in_case_updates_the_existing_user_instead_of_creating_a_second()
    {
        var stored = Store("ALICE", "hash:" + Password);

        var result = await Apply(SeedUsers.Users(Alice("alice")));

        Assert.Equal(0, result.Created);
        Assert.Equal(1, result.Updated + result.Unchanged);
        Assert.Same(stored, Assert.Single(_users.Users));
        Assert.Equal(StoredStamp, stored.SecurityStamp);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Invalid_user_saves_nothing_and_names_the_user_and_field()
    {
        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => Apply(SeedUsers.Users(Alice() with { Email = "bad" })));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("users[0].email", error.Key);
        Assert.DoesNotContain(Password, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, _unitOfWork.Attempts);
        Assert.Empty(_users.Users);
    }

    [Fact]
    public async Task Username_with_surrounding_space_is_refused_by_field()
    {
        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => Apply(SeedUsers.Users(Alice(" alice"))));

        Assert.Equal(["users[0].username"], refused.Errors.Keys);
        Assert.Equal(0, _unitOfWork.Attempts);
        Assert.Empty(_users.Users);
    }

    [Fact]
    public async Task Invalid_second_user_is_named_by_its_index_and_the_valid_first_user_is_not_saved()
    {
        var refused = await Assert.ThrowsAsync<RequestValidationException>(
            () => Apply(SeedUsers.Users(Alice(), Bob() with { Email = "@example.com" })));

        Assert.Equal(["users[1].email"], refused.Errors.Keys);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Valid_client_before_an_invalid_user_is_not_saved()
    {
        var refused = await Assert.ThrowsAsync<RequestValidationException>(
            () => Apply(new SeedDocument([Service("svc")], [Alice() with { Email = "bad" }])));

        Assert.Equal(["users[0].email"], refused.Errors.Keys);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Invalid_update_of_an_existing_user_leaves_it_as_it_was()
    {
        await Apply(SeedUsers.Users(Alice()));
        var alice = Stored("alice");
        var stamp = alice.SecurityStamp;

        await Assert.ThrowsAsync<RequestValidationException>(
            () => Apply(SeedUsers.Users(Alice(password: "a-brand-new-password") with { Email = "bad" })));

        Assert.Equal("alice@example.com", alice.Email);
        Assert.Equal("hash:" + Password, alice.PasswordHash);
        Assert.Equal(stamp, alice.SecurityStamp);
        Assert.Equal(1, _unitOfWork.Attempts);
    }
}
