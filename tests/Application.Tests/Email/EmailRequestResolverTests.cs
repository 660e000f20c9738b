using AuthService.Application.Email;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.Email;

/// <summary>
/// What the e-mail request worker writes for a request: an enabled account's token and link (the sign-in link with the
/// request's continuation), anyone else's "no account" notice without a token. Nothing is saved here: the worker saves it
/// with the request marked handled.
/// </summary>
public class EmailRequestResolverTests
{
    private readonly InMemoryUserRepository _users = new();
    private readonly EmailFakes _email = new();
    private readonly EmailRequestResolver _resolver;
    private readonly Domain.Users.User _alice = RegisterUser();

    public EmailRequestResolverTests()
    {
        _users.Add(_alice);
        _resolver = new EmailRequestResolver(_users, _email.Links);
    }

    private Task Resolve(EmailRequestKind kind, string address, SignInContinuation? continuation = null) =>
        _resolver.ResolveAsync(EmailRequest.Create(Guid.NewGuid(), kind, address, "192.0.2.1", continuation, TestClock.Start), TestClock.Start, CancellationToken.None);

    [Fact]
    public async Task A_reset_for_an_account_gets_a_token_and_the_link()
    {
        await Resolve(EmailRequestKind.PasswordReset, "ALICE@Example.com");

        var message = Assert.Single(_email.Outbox.Emails);
        Assert.Equal(EmailLinks.PasswordResetPurpose, message.Purpose);
        Assert.Equal("alice@example.com", message.Recipient);
        Assert.Equal(_alice.Id, message.UserId);
        Assert.Contains("/account/reset-password?token=", message.TextBody, StringComparison.Ordinal);
        var token = Assert.Single(_email.Tokens.Tokens);
        Assert.Equal(EmailTokenPurpose.PasswordReset, token.Purpose);
        Assert.Equal(_alice.Id, token.UserId);
    }

    [Fact]
    public async Task A_sign_in_link_carries_the_continuation_to_its_token()
    {
        var continuation = SignInContinuation.Device(OpaqueToken.HashOf("device-code"));

        await Resolve(EmailRequestKind.SignInLink, "alice@example.com", continuation);

        Assert.Equal(EmailLinks.MagicLinkPurpose, Assert.Single(_email.Outbox.Emails).Purpose);
        var token = Assert.Single(_email.Tokens.Tokens);
        Assert.Equal(EmailTokenPurpose.MagicLink, token.Purpose);
        Assert.Equal(continuation, token.Continuation);
    }

    [Theory]
    [InlineData(EmailRequestKind.PasswordReset, EmailLinks.NoAccountPurpose)]
    [InlineData(EmailRequestKind.SignInLink, EmailLinks.MagicLinkNoAccountPurpose)]
    public async Task An_unknown_address_gets_the_notice_as_typed_and_no_token(EmailRequestKind kind, string purpose)
    {
        await Resolve(kind, "Nobody@example.com");

        var message = Assert.Single(_email.Outbox.Emails);
        Assert.Equal(purpose, message.Purpose);
        Assert.Equal("Nobody@example.com", message.Recipient);
        Assert.Null(message.UserId);
        Assert.DoesNotContain("token=", message.TextBody, StringComparison.Ordinal);
        Assert.Empty(_email.Tokens.Tokens);
    }

    [Fact]
    public async Task A_disabled_account_is_treated_as_no_account()
    {
        Assert.True(_alice.Disable("stamp-2", TestClock.Start));

        await Resolve(EmailRequestKind.SignInLink, "alice@example.com");

        Assert.Equal(EmailLinks.MagicLinkNoAccountPurpose, Assert.Single(_email.Outbox.Emails).Purpose);
        Assert.Empty(_email.Tokens.Tokens);
    }
}
