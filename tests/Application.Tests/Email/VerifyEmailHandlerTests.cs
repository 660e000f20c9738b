using AuthService.Application.Email;
using AuthService.Application.Email.Commands.VerifyEmail;
using AuthService.Application.Email.Queries.CheckEmailLink;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Email;

/// <summary>Using a verification link: the address it was sent to is marked verified, once; a lost race is "already used", never a 500.</summary>
public class VerifyEmailHandlerTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly EmailFakes _email = new();
    private readonly User _user;
    private readonly string _token;
    private readonly VerifyEmailHandler _handler;

    public VerifyEmailHandlerTests()
    {
        _user = RegisterUser(email: "alice@example.com");
        _user.UpdateProfile(new UserProfile(_user.Username, "alice@example.com", EmailVerified: false, _user.Name), _clock.GetUtcNow());
        _users.Add(_user);
        _email.Links.SendVerification(_user, _clock.GetUtcNow());
        _token = Uri.UnescapeDataString(_email.Outbox.Emails.Single().TextBody!.Split("?token=")[1].Split('\r')[0]);
        _handler = new VerifyEmailHandler(new EmailTokenLookup(_email.Tokens, _users), _unitOfWork, _clock);
    }

    private Task<EmailLinkOutcome> Verify(string? token) => _handler.Handle(new VerifyEmail(token), CancellationToken.None);

    [Fact]
    public async Task The_link_verifies_the_address_once()
    {
        Assert.Equal(EmailLinkOutcome.Completed, await Verify(_token));
        Assert.True(_user.EmailVerified);

        Assert.Equal(new EmailLinkOutcome.Refused(EmailTokenUse.AlreadyUsed), await Verify(_token));
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task A_lost_race_is_already_used()
    {
        _unitOfWork.ConflictWith = SaveResult.ConcurrencyConflict;

        Assert.Equal(new EmailLinkOutcome.Refused(EmailTokenUse.AlreadyUsed), await Verify(_token));
    }

    [Fact]
    public async Task After_a_change_of_address_the_old_link_verifies_nothing()
    {
        _user.UpdateProfile(new UserProfile(_user.Username, "alice@new.example", EmailVerified: false, _user.Name), _clock.GetUtcNow());

        Assert.Equal(new EmailLinkOutcome.Refused(EmailTokenUse.NoLongerValid), await Verify(_token));
        Assert.False(_user.EmailVerified);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_token_is_refused(string? token)
    {
        Assert.Equal(EmailLinkOutcome.Unknown, await Verify(token));
        Assert.Equal(0, _unitOfWork.Attempts);
    }
}
