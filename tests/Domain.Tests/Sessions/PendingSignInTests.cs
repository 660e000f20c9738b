using AuthService.Domain.Common;
using AuthService.Domain.Sessions;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Sessions;

public class PendingSignInTests
{
    private static PendingSignIn Begun() =>
        PendingSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf(OpaqueToken.New()), UserId, Stamp, "client-1", AuthenticationMethods.PasswordOnly, Now);

    [Fact]
    public void A_new_pending_sign_in_is_usable_for_its_lifetime_only()
    {
        var pending = Begun();

        Assert.True(pending.IsUsable(Now + PendingSignIn.Lifetime - TimeSpan.FromSeconds(1), Stamp));
        Assert.False(pending.IsUsable(Now + PendingSignIn.Lifetime, Stamp));
    }

    [Fact]
    public void A_changed_security_stamp_voids_it() => Assert.False(Begun().IsUsable(Now, "another-stamp"));

    [Fact]
    public void It_is_void_after_the_maximum_of_wrong_codes()
    {
        var pending = Begun();
        for (var i = 0; i < PendingSignIn.MaxAttempts - 1; i++)
        {
            pending.RecordFailedAttempt(Now);
        }

        Assert.True(pending.IsUsable(Now, Stamp));
        pending.RecordFailedAttempt(Now);
        Assert.False(pending.IsUsable(Now, Stamp));
    }

    [Fact]
    public void Completed_it_is_spent()
    {
        var pending = Begun();
        pending.Complete(Now);

        Assert.False(pending.IsUsable(Now, Stamp));
        Assert.Throws<DomainRuleViolationException>(() => pending.Complete(Now));
    }

    [Fact]
    public void A_step_up_names_the_session_it_raises()
    {
        var sessionId = Guid.NewGuid();

        Assert.Equal(sessionId, PendingSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf("h"), UserId, Stamp, null, AuthenticationMethods.PasswordOnly, Now, sessionId).SessionId);
        Assert.Throws<DomainRuleViolationException>(() => PendingSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf("h"), UserId, Stamp, null, AuthenticationMethods.PasswordOnly, Now, Guid.Empty));
    }

    [Fact]
    public void It_keeps_the_first_factor_it_follows()
    {
        var pending = PendingSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf("h"), UserId, Stamp, null, AuthenticationMethods.EmailLinkOnly, Now);

        Assert.Equal([AuthenticationMethods.EmailLink], pending.FirstFactorMethods);
    }

    [Fact]
    public void It_follows_one_first_factor_not_none_or_two()
    {
        Assert.Throws<DomainRuleViolationException>(() =>
            PendingSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf("h"), UserId, Stamp, null, [], Now));
        Assert.Throws<DomainRuleViolationException>(() =>
            PendingSignIn.Begin(Guid.NewGuid(), OpaqueToken.HashOf("h"), UserId, Stamp, null, AuthenticationMethods.PasswordAndOtp, Now));
    }
}
