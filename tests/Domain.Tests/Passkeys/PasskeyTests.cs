using AuthService.Domain.Common;
using AuthService.Domain.Passkeys;
using AuthService.Domain.Passkeys.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Passkeys;

public class PasskeyTests
{
    private static readonly byte[] CredentialId = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private static Passkey Registered(uint signCount = 5, bool backupEligible = false, bool backedUp = false, string? name = "Laptop")
    {
        var passkey = Passkey.Register(Guid.NewGuid(), UserId, CredentialId, [0xa5, 1, 2], signCount, ["internal", "hybrid", "internal"],
            Guid.Empty, backupEligible, backedUp, name, Now);
        return passkey;
    }

    [Fact]
    public void A_registered_passkey_keeps_its_credential_and_raises_an_event()
    {
        var passkey = Registered();

        Assert.Equal(CredentialId, passkey.CredentialId);
        Assert.Equal(5u, passkey.SignCount);
        Assert.Equal(["internal", "hybrid"], passkey.Transports);
        Assert.Equal("Laptop", passkey.Name);
        Assert.Equal(Now, passkey.CreatedAt);
        Assert.Null(passkey.LastUsedAt);
        var registered = Assert.IsType<PasskeyRegistered>(Assert.Single(passkey.DomainEvents));
        Assert.Equal(UserId, registered.UserId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bad\u0007name")]
    public void A_name_must_be_present_and_printable(string? name)
    {
        var error = Assert.Throws<DomainRuleViolationException>(() => Registered(name: name));
        Assert.Equal("name", error.Field);
    }

    [Fact]
    public void A_name_is_bounded_and_trimmed()
    {
        Assert.Throws<DomainRuleViolationException>(() => Registered(name: new string('a', Passkey.MaxNameLength + 1)));
        Assert.Equal(new string('a', Passkey.MaxNameLength), Registered(name: " " + new string('a', Passkey.MaxNameLength) + " ").Name);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(1024)]
    public void A_credential_id_has_a_bounded_length(int length)
    {
        var error = Assert.Throws<DomainRuleViolationException>(() =>
            Passkey.Register(Guid.NewGuid(), UserId, new byte[length], [1], 0, [], Guid.Empty, false, false, "Key", Now));
        Assert.Equal("credential_id", error.Field);
    }

    [Fact]
    public void Backed_up_without_backup_eligibility_is_refused_at_registration()
    {
        var error = Assert.Throws<DomainRuleViolationException>(() => Registered(backupEligible: false, backedUp: true));
        Assert.Equal("flags", error.Field);
    }

    [Fact]
    public void A_greater_counter_is_accepted_and_recorded()
    {
        var passkey = Registered(signCount: 5);
        passkey.ClearDomainEvents();

        Assert.Equal(PasskeyAssertionCheck.Accepted, passkey.RecordUse(6, false, false, Now.AddMinutes(1)));

        Assert.Equal(6u, passkey.SignCount);
        Assert.Equal(Now.AddMinutes(1), passkey.LastUsedAt);
        Assert.IsType<PasskeyUsed>(Assert.Single(passkey.DomainEvents));
    }

    [Theory]
    [InlineData(5u, 5u)]
    [InlineData(5u, 4u)]
    [InlineData(5u, 0u)]
    [InlineData(0u, 0u)]
    public void A_counter_that_does_not_grow_is_a_possible_clone_unless_both_are_zero(uint stored, uint presented)
    {
        var passkey = Registered(signCount: stored);
        passkey.ClearDomainEvents();

        var check = passkey.RecordUse(presented, false, false, Now.AddMinutes(1));

        if (stored == 0 && presented == 0)
        {
            // §6.1.1: an authenticator without a counter always reports 0; nothing to compare.
            Assert.Equal(PasskeyAssertionCheck.Accepted, check);
            return;
        }

        Assert.Equal(PasskeyAssertionCheck.CounterRegressed, check);
        Assert.Equal(stored, passkey.SignCount);
        Assert.Null(passkey.LastUsedAt);
        Assert.Empty(passkey.DomainEvents);
    }

    [Fact]
    public void A_counter_starting_to_count_from_zero_is_accepted()
    {
        var passkey = Registered(signCount: 0);

        Assert.Equal(PasskeyAssertionCheck.Accepted, passkey.RecordUse(1, false, false, Now));
        Assert.Equal(1u, passkey.SignCount);
    }

    [Fact]
    public void A_changed_backup_eligibility_is_refused()
    {
        var passkey = Registered(backupEligible: false);

        Assert.Equal(PasskeyAssertionCheck.FlagsChanged, passkey.RecordUse(9, backupEligible: true, backedUp: true, Now));
        Assert.Equal(5u, passkey.SignCount);
    }

    [Fact]
    public void The_backup_state_may_change_on_use()
    {
        var passkey = Registered(backupEligible: true, backedUp: false);

        Assert.Equal(PasskeyAssertionCheck.Accepted, passkey.RecordUse(6, true, true, Now));
        Assert.True(passkey.BackedUp);
    }

    [Fact]
    public void The_key_method_follows_backup_eligibility()
    {
        Assert.Equal(PasskeyMethods.HardwareKey, Registered(backupEligible: false).KeyMethod);
        Assert.Equal(PasskeyMethods.SoftwareKey, Registered(backupEligible: true).KeyMethod);
        Assert.Equal(["hwk", "user", "mfa"], PasskeyMethods.Passwordless(PasskeyMethods.HardwareKey));
        Assert.Equal(["swk", "user", "mfa"], PasskeyMethods.Passwordless(PasskeyMethods.SoftwareKey));
    }

    [Fact]
    public void Renaming_raises_an_event_only_on_a_change()
    {
        var passkey = Registered();
        passkey.ClearDomainEvents();

        passkey.Rename(" Laptop ", Now);
        Assert.Empty(passkey.DomainEvents);

        passkey.Rename("Phone", Now);
        Assert.Equal("Phone", passkey.Name);
        Assert.IsType<PasskeyRenamed>(Assert.Single(passkey.DomainEvents));
        Assert.Throws<DomainRuleViolationException>(() => passkey.Rename("", Now));
    }

    [Fact]
    public void Removing_raises_an_event_with_the_reason()
    {
        var passkey = Registered();
        passkey.ClearDomainEvents();

        passkey.Remove(Passkey.RemovedByAdministrator, Now);

        var removed = Assert.IsType<PasskeyRemoved>(Assert.Single(passkey.DomainEvents));
        Assert.Equal(Passkey.RemovedByAdministrator, removed.Reason);
    }

    [Fact]
    public void Timestamps_must_be_utc()
    {
        Assert.Throws<DomainRuleViolationException>(() => Registered().Rename("x", Now.ToOffset(TimeSpan.FromHours(2))));
    }
}

public class PasskeyCeremonyTests
{
    private static readonly string HandleHash = OpaqueToken.HashOf(OpaqueToken.New());

    private static PasskeyCeremony Begun(string kind = PasskeyCeremony.SignIn, Guid? userId = null) =>
        PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, kind, userId, new byte[PasskeyCeremony.ChallengeLength], Now);

    [Fact]
    public void A_ceremony_is_usable_once_for_its_kind_until_it_expires()
    {
        var ceremony = Begun();

        Assert.True(ceremony.IsUsable(PasskeyCeremony.SignIn, Now));
        Assert.False(ceremony.IsUsable(PasskeyCeremony.Registration, Now));
        Assert.False(ceremony.IsUsable(PasskeyCeremony.SignIn, Now + PasskeyCeremony.Lifetime));

        ceremony.Complete(Now.AddSeconds(1));

        Assert.False(ceremony.IsUsable(PasskeyCeremony.SignIn, Now.AddSeconds(2)));
        Assert.Throws<DomainRuleViolationException>(() => ceremony.Complete(Now.AddSeconds(2)));
    }

    [Fact]
    public void An_expired_ceremony_cannot_be_completed()
    {
        Assert.Throws<DomainRuleViolationException>(() => Begun().Complete(Now + PasskeyCeremony.Lifetime));
    }

    [Fact]
    public void A_registration_names_its_user_and_a_sign_in_does_not()
    {
        Assert.Throws<DomainRuleViolationException>(() => Begun(PasskeyCeremony.Registration));
        Assert.Throws<DomainRuleViolationException>(() => Begun("another_kind", UserId));
        Assert.Throws<DomainRuleViolationException>(() => Begun(PasskeyCeremony.SignIn, UserId));
        Assert.Equal(UserId, Begun(PasskeyCeremony.Registration, UserId).UserId);
    }

    [Fact]
    public void A_second_factor_names_its_user_and_the_pending_sign_in_it_finishes_and_the_other_kinds_name_none()
    {
        var pending = Guid.NewGuid();
        var challenge = new byte[PasskeyCeremony.ChallengeLength];

        var ceremony = PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, PasskeyCeremony.SecondFactor, UserId, challenge, Now, pending);

        Assert.Equal(pending, ceremony.PendingSignInId);
        Assert.True(ceremony.IsUsable(PasskeyCeremony.SecondFactor, Now));
        Assert.False(ceremony.IsUsable(PasskeyCeremony.SignIn, Now));
        Assert.Throws<DomainRuleViolationException>(() => PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, PasskeyCeremony.SecondFactor, UserId, challenge, Now));
        Assert.Throws<DomainRuleViolationException>(() => PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, PasskeyCeremony.SecondFactor, null, challenge, Now, pending));
        Assert.Throws<DomainRuleViolationException>(() => PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, PasskeyCeremony.SignIn, null, challenge, Now, pending));
    }

    [Fact]
    public void A_link_proof_names_its_account_and_the_round_trip_it_proves_and_no_other_kind_names_one()
    {
        var signIn = Guid.NewGuid();
        var challenge = new byte[PasskeyCeremony.ChallengeLength];

        var ceremony = PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, PasskeyCeremony.LinkProof, UserId, challenge, Now, externalSignInId: signIn);

        Assert.Equal((UserId, signIn), (ceremony.UserId!.Value, ceremony.ExternalSignInId!.Value));
        Assert.True(ceremony.IsUsable(PasskeyCeremony.LinkProof, Now));
        Assert.False(ceremony.IsUsable(PasskeyCeremony.SignIn, Now));
        Assert.Throws<DomainRuleViolationException>(() => PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, PasskeyCeremony.LinkProof, UserId, challenge, Now));
        Assert.Throws<DomainRuleViolationException>(() =>
            PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, PasskeyCeremony.LinkProof, null, challenge, Now, externalSignInId: signIn));
        Assert.Throws<DomainRuleViolationException>(() =>
            PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, PasskeyCeremony.SignIn, null, challenge, Now, externalSignInId: signIn));
    }

    [Fact]
    public void A_challenge_has_the_required_length()
    {
        Assert.Throws<DomainRuleViolationException>(() =>
            PasskeyCeremony.Begin(Guid.NewGuid(), HandleHash, PasskeyCeremony.SignIn, null, new byte[15], Now));
    }
}
