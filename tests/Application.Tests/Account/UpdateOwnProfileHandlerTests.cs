using AuthService.Application.Account;
using AuthService.Application.Account.Commands.UpdateOwnProfile;
using AuthService.Application.Email;
using AuthService.Application.SignIn;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.Users;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Account;

/// <summary>The person's own profile change: the session's user only, a changed address unverified, refused input saves nothing.</summary>
public class UpdateOwnProfileHandlerTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly InMemoryUserSessionRepository _sessions = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly EmailFakes _email = new();
    private readonly UpdateOwnProfileHandler _handler;
    private readonly User _user;
    private readonly string _handle;

    public UpdateOwnProfileHandlerTests()
    {
        _user = RegisterUser();
        _users.Add(_user);
        _users.Add(RegisterUser("bob", "bob@example.com", name: "Bob"));
        var (session, handle) = StartSession(_user, _clock.GetUtcNow());
        _sessions.Add(session);
        _handle = handle;
        _handler = new UpdateOwnProfileHandler(new BrowserSessions(_sessions, _users, _clock), _users, _email.Links, _unitOfWork, _clock);
    }

    private Task<AccountOutcome> Update(string? name, string? email, string? handle = "") =>
        _handler.Handle(new UpdateOwnProfile(handle == "" ? _handle : handle, name, email), CancellationToken.None);

    [Fact]
    public async Task A_new_name_keeps_the_verified_address()
    {
        var outcome = await Update("Alice L.", "alice@example.com");

        Assert.Equal(new AccountOutcome.Done(UpdateOwnProfileHandler.Saved), outcome);
        Assert.Equal("Alice L.", _user.Name);
        Assert.True(_user.EmailVerified);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Empty(_email.Outbox.Emails);
    }

    [Fact]
    public async Task A_new_address_is_unverified()
    {
        var outcome = await Update("Alice Liddell", "alice@new.example");

        Assert.Equal(new AccountOutcome.Done(UpdateOwnProfileHandler.SavedUnverified), outcome);
        Assert.Equal("alice@new.example", _user.Email);
        Assert.False(_user.EmailVerified);

        // The verification link goes out in the same save, bound to the new address.
        var message = Assert.Single(_email.Outbox.Emails);
        Assert.Equal("alice@new.example", message.Recipient);
        Assert.Equal(EmailLinks.VerificationPurpose, message.Purpose);
        Assert.Contains(FakeIssuerProvider.DefaultIssuer + EmailLinks.VerifyEmailPath + "?token=", message.TextBody, StringComparison.Ordinal);
        var token = Assert.Single(_email.Tokens.Tokens);
        Assert.Equal(User.Normalize("alice@new.example"), token.NormalizedEmail);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("bob@example.com")]
    [InlineData("BOB@example.com")]
    public async Task A_refused_address_saves_nothing(string email)
    {
        var outcome = await Update("Changed", email);

        Assert.IsType<AccountOutcome.Invalid>(outcome);
        Assert.Equal("Alice Liddell", _user.Name);
        Assert.Equal("alice@example.com", _user.Email);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task A_name_over_the_limit_is_refused()
    {
        Assert.IsType<AccountOutcome.Invalid>(await Update(new string('n', User.MaxNameLength + 1), "alice@example.com"));
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-handle")]
    public async Task Without_an_active_session_nothing_changes(string? handle)
    {
        Assert.Equal(AccountOutcome.SignInFirst, await Update("Mallory", "m@example.com", handle));
        Assert.Equal("Alice Liddell", _user.Name);
    }

    [Fact]
    public async Task A_race_for_the_address_at_the_save_is_refused_not_thrown()
    {
        _unitOfWork.ConflictWith = SaveResult.UniquenessConflict;

        Assert.IsType<AccountOutcome.Invalid>(await Update("Alice Liddell", "taken@example.com"));
    }
}
