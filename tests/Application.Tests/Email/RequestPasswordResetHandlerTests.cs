using AuthService.Application.Common.Interfaces;
using AuthService.Application.Email;
using AuthService.Application.Email.Commands.RequestPasswordReset;
using AuthService.Application.Tests.Fakes;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Email;

/// <summary>
/// The reset request does the same work whether or not the address has an account (ASVS 6.3.8): one message written and
/// saved either way; only the address with an account gets a token. A spent budget sends nothing.
/// </summary>
public class RequestPasswordResetHandlerTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly InMemoryUserRepository _users = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly EmailFakes _email = new();
    private readonly CountingThrottle _throttle = new();
    private readonly RequestPasswordResetHandler _handler;

    public RequestPasswordResetHandlerTests()
    {
        _users.Add(RegisterUser());
        _handler = new RequestPasswordResetHandler(new EmailLinkRequests(_users, _throttle, _unitOfWork, _clock), _email.Links);
    }

    private Task<PasswordResetRequested> Ask(string? email) => _handler.Handle(new RequestPasswordReset(email, "192.0.2.1"), CancellationToken.None);

    [Fact]
    public async Task An_address_with_an_account_gets_a_reset_link_and_a_token()
    {
        Assert.Equal(PasswordResetRequested.Accepted, await Ask(" ALICE@example.com "));

        var message = Assert.Single(_email.Outbox.Emails);
        Assert.Equal(EmailLinks.PasswordResetPurpose, message.Purpose);
        Assert.Contains("/account/reset-password?token=", message.TextBody, StringComparison.Ordinal);
        Assert.Single(_email.Tokens.Tokens);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task An_address_without_an_account_gets_the_same_answer_and_the_same_save_without_a_token()
    {
        Assert.Equal(PasswordResetRequested.Accepted, await Ask("nobody@example.com"));

        var message = Assert.Single(_email.Outbox.Emails);
        Assert.Equal(EmailLinks.NoAccountPurpose, message.Purpose);
        Assert.DoesNotContain("token=", message.TextBody, StringComparison.Ordinal);
        Assert.Empty(_email.Tokens.Tokens);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task A_spent_budget_sends_nothing()
    {
        _throttle.Allow = false;

        Assert.Equal(PasswordResetRequested.Throttled, await Ask("alice@example.com"));
        Assert.Empty(_email.Outbox.Emails);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-address")]
    public async Task Not_an_address_is_refused_before_the_budget_is_touched(string? email)
    {
        Assert.Equal(PasswordResetRequested.InvalidAddress, await Ask(email));
        Assert.Equal(0, _throttle.Calls);
        Assert.Empty(_email.Outbox.Emails);
    }

    private sealed class CountingThrottle : IEmailRequestThrottle
    {
        public bool Allow { get; set; } = true;

        public int Calls { get; private set; }

        public bool TryAcquire(string normalizedRecipient, string? remoteAddress)
        {
            Calls++;
            return Allow;
        }
    }
}
