using AuthService.Domain.Users;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Users;

public class UserTokenRulesTests
{
    [Fact]
    public void MayReceiveTokens_when_enabled_and_not_locked_out() =>
        Assert.True(RegisterAlice().MayReceiveTokens(Now));

    [Fact]
    public void MayReceiveTokens_is_false_once_disabled()
    {
        var alice = RegisterAlice();
        alice.Disable("stamp-two", Now);

        Assert.False(alice.MayReceiveTokens(Now.AddMinutes(1)));
    }

    [Fact]
    public void MayReceiveTokens_is_false_while_locked_out_and_true_again_when_the_lockout_ends()
    {
        var alice = RegisterAlice();
        for (var i = 0; i < LockoutPolicy.Default.MaxFailedAttempts; i++)
        {
            alice.RecordFailedLogin(Now, LockoutPolicy.Default);
        }

        Assert.False(alice.MayReceiveTokens(Now));
        Assert.False(alice.MayReceiveTokens(alice.LockoutEndsAt!.Value.AddTicks(-1)));
        Assert.True(alice.MayReceiveTokens(alice.LockoutEndsAt!.Value));
    }

    [Fact]
    public void CredentialsUnchangedSince_the_current_stamp_is_true() =>
        Assert.True(RegisterAlice().CredentialsUnchangedSince(Stamp));

    [Fact]
    public void CredentialsUnchangedSince_a_grant_that_recorded_no_stamp_is_true() =>
        Assert.True(RegisterAlice().CredentialsUnchangedSince(null));

    [Theory]
    [InlineData("stamp-two")]
    [InlineData("STAMP-ONE")]
    [InlineData("")]
    public void CredentialsUnchangedSince_another_stamp_is_false(string stampAtSignIn) =>
        Assert.False(RegisterAlice().CredentialsUnchangedSince(stampAtSignIn));

    [Fact]
    public void CredentialsUnchangedSince_the_sign_in_is_false_after_a_password_change()
    {
        var alice = RegisterAlice();
        alice.ChangePassword("v1$new-hash", "stamp-two", Now);

        Assert.False(alice.CredentialsUnchangedSince(Stamp));
    }
}
