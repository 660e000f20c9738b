using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Email;

/// <summary>A single-use e-mail token: bound to its purpose, user, address and security stamp; consumed once; expires.</summary>
public class EmailTokenTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private static (EmailToken Token, User User) Issued(EmailTokenPurpose purpose = EmailTokenPurpose.PasswordReset)
    {
        var user = RegisterAlice();
        return (EmailToken.Issue(OpaqueToken.HashOf(OpaqueToken.New()), purpose, user, Lifetime, Now), user);
    }

    [Fact]
    public void A_fresh_token_is_usable_for_its_purpose_and_checking_does_not_consume_it()
    {
        var (token, user) = Issued();

        Assert.Equal(EmailTokenUse.Usable, token.Check(EmailTokenPurpose.PasswordReset, user, Now));
        Assert.Equal(EmailTokenUse.Usable, token.Check(EmailTokenPurpose.PasswordReset, user, Now));
        Assert.Null(token.ConsumedAt);
    }

    [Fact]
    public void Consuming_twice_reports_the_second_as_already_used()
    {
        var (token, user) = Issued();

        Assert.Equal(EmailTokenUse.Usable, token.Consume(EmailTokenPurpose.PasswordReset, user, Now));
        Assert.Equal(EmailTokenUse.AlreadyUsed, token.Consume(EmailTokenPurpose.PasswordReset, user, Now.AddSeconds(1)));
        Assert.Equal(Now, token.ConsumedAt);
    }

    [Fact]
    public void A_token_of_another_purpose_is_refused_and_stays_unused()
    {
        var (token, user) = Issued(EmailTokenPurpose.EmailVerification);

        Assert.Equal(EmailTokenUse.WrongPurpose, token.Consume(EmailTokenPurpose.PasswordReset, user, Now));
        Assert.Null(token.ConsumedAt);
    }

    [Fact]
    public void At_exactly_the_expiry_the_token_is_expired()
    {
        var (token, user) = Issued();

        Assert.Equal(EmailTokenUse.Usable, token.Check(EmailTokenPurpose.PasswordReset, user, Now + Lifetime - TimeSpan.FromTicks(1)));
        Assert.Equal(EmailTokenUse.Expired, token.Consume(EmailTokenPurpose.PasswordReset, user, Now + Lifetime));
        Assert.Null(token.ConsumedAt);
    }

    [Fact]
    public void A_changed_address_makes_the_token_useless()
    {
        var (token, user) = Issued(EmailTokenPurpose.EmailVerification);
        user.UpdateProfile(new UserProfile(user.Username, "alice@new.example", EmailVerified: false, user.Name), Now);

        Assert.Equal(EmailTokenUse.NoLongerValid, token.Consume(EmailTokenPurpose.EmailVerification, user, Now));
    }

    [Fact]
    public void A_changed_security_stamp_makes_the_token_useless()
    {
        var (token, user) = Issued();
        user.ChangePassword("v1$other-hash", "stamp-two", Now);

        Assert.Equal(EmailTokenUse.NoLongerValid, token.Consume(EmailTokenPurpose.PasswordReset, user, Now));
    }

    [Fact]
    public void Another_user_a_disabled_user_or_a_deleted_user_cannot_use_it()
    {
        var (token, user) = Issued();
        var mallory = User.Register(Guid.NewGuid(), new UserProfile("mallory", "alice@example.org", false, null), PasswordHash, Stamp, Now);

        Assert.Equal(EmailTokenUse.NoLongerValid, token.Check(EmailTokenPurpose.PasswordReset, mallory, Now));
        Assert.Equal(EmailTokenUse.NoLongerValid, token.Check(EmailTokenPurpose.PasswordReset, null, Now));
        user.Disable("stamp-disabled", Now);
        Assert.Equal(EmailTokenUse.NoLongerValid, token.Check(EmailTokenPurpose.PasswordReset, user, Now));
    }

    [Fact]
    public void A_revoked_token_is_no_longer_valid_and_cannot_be_consumed()
    {
        var (token, user) = Issued(EmailTokenPurpose.Invitation);

        token.Revoke(Now);

        Assert.Equal(Now, token.RevokedAt);
        Assert.Equal(EmailTokenUse.NoLongerValid, token.Check(EmailTokenPurpose.Invitation, user, Now));
        Assert.Equal(EmailTokenUse.NoLongerValid, token.Consume(EmailTokenPurpose.Invitation, user, Now.AddSeconds(1)));
        Assert.Null(token.ConsumedAt);
    }

    [Fact]
    public void A_used_or_already_revoked_token_cannot_be_revoked()
    {
        var (used, user) = Issued();
        Assert.Equal(EmailTokenUse.Usable, used.Consume(EmailTokenPurpose.PasswordReset, user, Now));
        var (revoked, _) = Issued();
        revoked.Revoke(Now);

        Assert.Throws<DomainRuleViolationException>(() => used.Revoke(Now.AddSeconds(1)));
        Assert.Throws<DomainRuleViolationException>(() => revoked.Revoke(Now.AddSeconds(1)));
        Assert.Null(used.RevokedAt);
        Assert.Equal(Now, revoked.RevokedAt);
    }

    [Fact]
    public void A_user_without_an_address_gets_no_token()
    {
        var user = RegisterAlice(new UserProfile("Alice", null, false, null));

        AssertRefused("email", () => EmailToken.Issue(OpaqueToken.HashOf(OpaqueToken.New()), EmailTokenPurpose.EmailVerification, user, Lifetime, Now));
    }

    [Fact]
    public void Only_a_hash_is_accepted_as_the_stored_value()
    {
        AssertRefused("token", () => EmailToken.Issue("not-a-hash", EmailTokenPurpose.PasswordReset, RegisterAlice(), Lifetime, Now));
    }

    [Fact]
    public void A_sign_in_link_keeps_what_it_continues_and_other_links_continue_nothing()
    {
        var user = RegisterAlice();
        var device = SignInContinuation.Device(OpaqueToken.HashOf("device-code"));

        var link = EmailToken.Issue(OpaqueToken.HashOf(OpaqueToken.New()), EmailTokenPurpose.MagicLink, user, Lifetime, Now, device);
        var authorization = EmailToken.Issue(OpaqueToken.HashOf(OpaqueToken.New()), EmailTokenPurpose.MagicLink, user, Lifetime, Now,
            SignInContinuation.Authorization("{\"client_id\":\"c\"}"));

        Assert.Equal(device, link.Continuation);
        Assert.Equal(SignInContinuationKind.Authorization, authorization.Continuation?.Kind);
        Assert.Equal("{\"client_id\":\"c\"}", authorization.Continuation?.Request);
        Assert.Null(Issued(EmailTokenPurpose.MagicLink).Token.Continuation);
        Assert.Throws<DomainRuleViolationException>(() =>
            EmailToken.Issue(OpaqueToken.HashOf(OpaqueToken.New()), EmailTokenPurpose.PasswordReset, user, Lifetime, Now, device));
    }

    [Fact]
    public void A_continuation_names_a_device_by_its_code_hash_and_carries_a_request_of_bounded_size()
    {
        Assert.Null(SignInContinuation.Device(null).DeviceCodeHash);
        Assert.Throws<DomainRuleViolationException>(() => SignInContinuation.Device("not-a-hash"));
        Assert.Throws<DomainRuleViolationException>(() => SignInContinuation.Authorization(""));
        Assert.Throws<DomainRuleViolationException>(() => SignInContinuation.Authorization(new string('a', SignInContinuation.MaxRequestLength + 1)));
    }
}
