using AuthService.Application.Common.Exceptions;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Common;
using AuthService.Application.Users;
using AuthService.Application.Users.Commands.CreateUser;
using AuthService.Application.Users.Commands.DeleteUser;
using AuthService.Application.Users.Commands.DisableUser;
using AuthService.Application.Users.Commands.SetUserPassword;
using AuthService.Application.Users.Commands.UpdateUser;
using AuthService.Application.Users.Queries.ListUsers;
using AuthService.Domain.AccessTokens;
using AuthService.Domain.Common;
using AuthService.Domain.Consents;
using AuthService.Domain.RefreshTokens;
using AuthService.Domain.Users;
using AuthService.Domain.Users.Events;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Users;

public class UserAdminHandlerTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryUserSessionRepository _sessions = new();
    private readonly InMemoryRefreshTokenFamilyRepository _families = new();
    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly InMemoryAuthorizationCodeRepository _codes = new();
    private readonly InMemoryConsentRepository _consents = new();
    private readonly FakePasswordHasher _hasher = new();
    private readonly FakeUnitOfWork _unitOfWork = new();

    private GrantCleanup Cleanup() =>
        new(new GrantRevocation(_families, _revocations, _unitOfWork, _clock), _families, _codes, _consents, _sessions);

    private User AddUser(string username = "alice", string? email = "alice@example.com")
    {
        var user = RegisterUser(username, email);
        user.ClearDomainEvents();
        _users.Add(user);
        return user;
    }

    private RefreshTokenFamily AddFamily(User user)
    {
        var (family, token) = RefreshTokenFamily.Start(Guid.NewGuid(), OpaqueToken.HashOf(OpaqueToken.New()),
            new RefreshTokenGrant(ClientId, user.Id, Guid.NewGuid(), ["openid", "offline_access"], _clock.GetUtcNow(), user.SecurityStamp),
            new RefreshTokenLifetimes(TimeSpan.FromDays(30), TimeSpan.FromDays(7)), _clock.GetUtcNow());
        family.RecordAccessToken(_clock.GetUtcNow().AddMinutes(10));
        _families.Add(family, token);
        return family;
    }

    // ---- create ----

    [Fact]
    public async Task Create_hashes_the_password_with_a_fresh_stamp_and_returns_no_secret()
    {
        var handler = new CreateUserHandler(_users, _hasher, _unitOfWork, _clock);

        var result = await handler.Handle(new CreateUser("Carol", "carol@example.com", true, "Carol C", "carol-password-1"), CancellationToken.None);

        var stored = Assert.Single(_users.Users);
        Assert.Equal(FakePasswordHasher.CurrentPrefix + "carol-password-1", stored.PasswordHash);
        Assert.Equal(32, stored.SecurityStamp.Length);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.IsType<UserRegistered>(Assert.Single(stored.DomainEvents));
        Assert.Equal(stored.Id, result.User.Id);
        Assert.True(result.User.HasPassword);
        Assert.DoesNotContain("carol-password-1", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(stored.SecurityStamp, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_without_a_password_stores_no_hash_and_hashes_nothing()
    {
        var handler = new CreateUserHandler(_users, _hasher, _unitOfWork, _clock);

        var result = await handler.Handle(new CreateUser("Dave", null, null, null, null), CancellationToken.None);

        Assert.Null(Assert.Single(_users.Users).PasswordHash);
        Assert.False(result.User.HasPassword);
        Assert.Equal(0, _hasher.HashCalls);
    }

    [Theory]
    [InlineData("ALICE", null)]
    [InlineData("alice", null)]
    [InlineData("someone-else", "Alice@Example.COM")]
    public async Task Create_with_a_taken_username_or_email_conflicts_before_hashing(string username, string? email)
    {
        AddUser();
        var handler = new CreateUserHandler(_users, _hasher, _unitOfWork, _clock);

        await Assert.ThrowsAsync<ConflictException>(() =>
            handler.Handle(new CreateUser(username, email, null, null, "long-enough-password"), CancellationToken.None));

        Assert.Single(_users.Users);
        Assert.Equal(0, _hasher.HashCalls);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Create_with_a_bad_email_is_refused_before_hashing()
    {
        var handler = new CreateUserHandler(_users, _hasher, _unitOfWork, _clock);

        var refused = await Assert.ThrowsAsync<DomainRuleViolationException>(() =>
            handler.Handle(new CreateUser("erin", "erin-at-example", null, null, "long-enough-password"), CancellationToken.None));

        Assert.Equal("email", refused.Field);
        Assert.Equal(0, _hasher.HashCalls);
        Assert.Empty(_users.Users);
    }

    [Theory]
    [InlineData("short", "password")]
    [InlineData("", "password")]
    [InlineData(null, null)]
    [InlineData("exactly8", null)]
    public void Create_validator_applies_the_password_policy_only_to_a_given_password(string? password, string? field)
    {
        var result = new CreateUserValidator().Validate(new CreateUser("frank", null, null, null, password));

        Assert.Equal(field is null ? [] : [field], result.Errors.Select(e => e.PropertyName).Distinct());
        Assert.All(result.Errors, e => Assert.DoesNotContain("short", e.ErrorMessage, StringComparison.Ordinal));
    }

    [Fact]
    public void Commands_holding_a_password_never_print_it()
    {
        Assert.DoesNotContain("p4ssw0rd-secret", new CreateUser("u", null, null, null, "p4ssw0rd-secret").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("p4ssw0rd-secret", new SetUserPassword(Guid.NewGuid(), "p4ssw0rd-secret").ToString(), StringComparison.Ordinal);
    }

    // ---- update ----

    [Fact]
    public async Task Update_with_a_stale_version_is_refused_and_changes_nothing()
    {
        var user = AddUser();
        var handler = new UpdateUserHandler(_users, _unitOfWork, _clock);

        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            handler.Handle(new UpdateUser(user.Id, null, "new@example.com", false, "New", ExpectedVersion: 3), CancellationToken.None));

        Assert.Equal("alice@example.com", user.Email);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Update_with_an_email_of_another_user_conflicts_but_the_users_own_email_is_fine()
    {
        var user = AddUser();
        AddUser("bob", "bob@example.com");
        var handler = new UpdateUserHandler(_users, _unitOfWork, _clock);

        await Assert.ThrowsAsync<ConflictException>(() =>
            handler.Handle(new UpdateUser(user.Id, null, "BOB@example.com", false, null), CancellationToken.None));
        var kept = await handler.Handle(new UpdateUser(user.Id, "alice", "ALICE@example.com", true, "Alice"), CancellationToken.None);

        Assert.Equal("ALICE@example.com", kept.User.Email);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task Update_that_changes_nothing_does_not_save()
    {
        var user = AddUser();
        var handler = new UpdateUserHandler(_users, _unitOfWork, _clock);

        await handler.Handle(new UpdateUser(user.Id, null, user.Email, user.EmailVerified, user.Name), CancellationToken.None);

        Assert.Equal(0, _unitOfWork.Attempts);
        Assert.Empty(user.DomainEvents);
    }

    // ---- password, disable, delete ----

    [Fact]
    public async Task Set_password_replaces_hash_and_stamp_and_revokes_every_family_with_its_access_tokens()
    {
        var user = AddUser();
        var stamp = user.SecurityStamp;
        var family = AddFamily(user);
        var handler = new SetUserPasswordHandler(_users, _hasher, Cleanup(), InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions), _unitOfWork, _clock);

        await handler.Handle(new SetUserPassword(user.Id, "brand-new-password"), CancellationToken.None);

        Assert.Equal(FakePasswordHasher.CurrentPrefix + "brand-new-password", user.PasswordHash);
        Assert.NotEqual(stamp, user.SecurityStamp);
        Assert.Equal(SetUserPasswordHandler.RevocationReason, family.RevocationReason);
        Assert.Equal([RevokedAccessToken.FamilyEntryId(family.AccessTokenKey)], _revocations.Added.Select(r => r.JwtId));
    }

    [Fact]
    public async Task Set_password_of_an_unknown_user_is_not_found()
    {
        var handler = new SetUserPasswordHandler(_users, _hasher, Cleanup(), InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions), _unitOfWork, _clock);

        await Assert.ThrowsAsync<NotFoundException>(() => handler.Handle(new SetUserPassword(Guid.NewGuid(), "brand-new-password"), CancellationToken.None));

        Assert.Equal(0, _hasher.HashCalls);
    }

    [Fact]
    public async Task Disable_changes_the_stamp_and_revokes_the_users_families_only()
    {
        var user = AddUser();
        var other = AddUser("bob", "bob@example.com");
        var stamp = user.SecurityStamp;
        var mine = AddFamily(user);
        var theirs = AddFamily(other);
        var handler = new DisableUserHandler(_users, Cleanup(), InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions), _unitOfWork, _clock);

        var result = await handler.Handle(new DisableUser(user.Id), CancellationToken.None);

        Assert.True(result.User.Disabled);
        Assert.NotEqual(stamp, user.SecurityStamp);
        Assert.Equal(DisableUserHandler.RevocationReason, mine.RevocationReason);
        Assert.Null(theirs.RevokedAt);
    }

    [Fact]
    public async Task Delete_revokes_then_deletes_grants_and_the_user_in_one_transaction_raising_UserDeleted()
    {
        var user = AddUser();
        var family = AddFamily(user);
        var (session, _) = StartSession(user, _clock.GetUtcNow());
        _sessions.Add(session);
        _consents.Add(Consent.Grant(user.Id, ClientId, ["openid"], _clock.GetUtcNow()));
        var deletedEvents = new List<UserDeleted>();
        _unitOfWork.OnSave = () => deletedEvents.AddRange(user.DomainEvents.OfType<UserDeleted>());
        var handler = new DeleteUserHandler(_users, new UserRemoval(_users, Cleanup(), InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions),
            new InMemoryTenantMembershipRepository(), new InMemoryTenantRepository(), _unitOfWork), _unitOfWork, _clock);

        await handler.Handle(new DeleteUser(user.Id), CancellationToken.None);

        Assert.Equal(DeleteUserHandler.RevocationReason, family.RevocationReason);
        Assert.Equal([RevokedAccessToken.FamilyEntryId(family.AccessTokenKey)], _revocations.Added.Select(r => r.JwtId));
        Assert.Empty(_users.Users);
        Assert.Empty(_families.Families);
        Assert.Empty(_sessions.Sessions);
        Assert.Empty(_consents.Consents);
        Assert.Equal([1], _unitOfWork.CommittedTransactions);
        Assert.Single(deletedEvents);
    }

    [Fact]
    public async Task Delete_with_a_stale_version_deletes_nothing()
    {
        var user = AddUser();
        var family = AddFamily(user);
        var handler = new DeleteUserHandler(_users, new UserRemoval(_users, Cleanup(), InMemoryLogoutNotificationRepository.Propagation(new InMemoryClientRepository(), _sessions),
            new InMemoryTenantMembershipRepository(), new InMemoryTenantRepository(), _unitOfWork), _unitOfWork, _clock);

        await Assert.ThrowsAsync<PreconditionFailedException>(() => handler.Handle(new DeleteUser(user.Id, ExpectedVersion: 7), CancellationToken.None));

        Assert.Single(_users.Users);
        Assert.Null(family.RevokedAt);
        Assert.Empty(_unitOfWork.CommittedTransactions);
    }

    // ---- list ----

    [Fact]
    public async Task List_pages_in_normalized_username_order_and_filters_by_prefix_of_username_or_email()
    {
        AddUser("carol", "zeta@example.com");
        AddUser("Alice", "alice@example.com");
        AddUser("bob", "carol.b@example.com");
        var handler = new ListUsersHandler(_users, new PlainCursors(), _clock);

        var first = await handler.Handle(new ListUsers(Limit: 2), CancellationToken.None);
        var second = await handler.Handle(new ListUsers(Cursor: first.NextCursor, Limit: 2), CancellationToken.None);
        var search = await handler.Handle(new ListUsers(Q: "Car"), CancellationToken.None);

        Assert.Equal(["Alice", "bob"], first.Items.Select(u => u.Username));
        Assert.Equal(["carol"], second.Items.Select(u => u.Username));
        Assert.Null(second.NextCursor);
        Assert.Equal(["bob", "carol"], search.Items.Select(u => u.Username));
    }

    [Fact]
    public async Task List_with_locked_true_shows_only_users_locked_now()
    {
        var locked = AddUser("locked", null);
        AddUser("free", null);
        for (var i = 0; i < LockoutPolicy.Default.MaxFailedAttempts; i++)
        {
            locked.RecordFailedLogin(_clock.GetUtcNow(), LockoutPolicy.Default);
        }

        var handler = new ListUsersHandler(_users, new PlainCursors(), _clock);
        var now = await handler.Handle(new ListUsers(Locked: true), CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(1));
        var later = await handler.Handle(new ListUsers(Locked: true), CancellationToken.None);

        Assert.Equal(["locked"], now.Items.Select(u => u.Username));
        Assert.True(now.Items[0].LockedOut);
        Assert.Empty(later.Items);
    }

    [Theory]
    [InlineData("control\u0001")]
    [InlineData("lone-surrogate")]
    public void List_validator_refuses_a_query_that_is_not_text(string kind)
    {
        // A lone surrogate cannot travel in an attribute, so it is built here.
        var q = kind == "lone-surrogate" ? new string(['x', '\ud800', 'y']) : kind;

        Assert.Equal(["q"], new ListUsersValidator().Validate(new ListUsers(Q: q)).Errors.Select(e => e.PropertyName).Distinct());
    }

    /// <summary>Cursors in the clear: the HMAC protection is the infrastructure's, tested there.</summary>
    private sealed class PlainCursors : Application.Common.Interfaces.IPageCursors
    {
        public string Protect(string key) => "c:" + key;

        public string? Unprotect(string cursor) => cursor.StartsWith("c:", StringComparison.Ordinal) ? cursor[2..] : null;
    }
}
