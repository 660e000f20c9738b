using AuthService.Domain.Users;
using AuthService.Domain.Users.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Users;

public class UserLockoutTests
{
    private static readonly LockoutPolicy Policy = LockoutPolicy.Default;

    private static User Registered()
    {
        var user = RegisterAlice();
        user.ClearDomainEvents();
        return user;
    }

    private static User FailedTimes(int failures, DateTimeOffset at)
    {
        var user = Registered();
        for (var i = 0; i < failures; i++)
        {
            user.RecordFailedLogin(at, Policy);
        }

        return user;
    }

    [Fact]
    public void Default_policy_is_five_attempts_five_minutes_capped_at_one_hour() =>
        Assert.Equal(new LockoutPolicy(5, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)), LockoutPolicy.Default);

    [Fact]
    public void Four_failed_logins_count_but_do_not_lock()
    {
        var user = FailedTimes(4, Now);

        Assert.Equal(4, user.FailedLoginCount);
        Assert.False(user.IsLockedOut(Now));
        Assert.Null(user.LockoutEndsAt);
        Assert.Empty(user.DomainEvents);
    }

    [Fact]
    public void Fifth_failed_login_locks_for_five_minutes_and_raises_UserLockedOut()
    {
        var user = FailedTimes(5, Now);

        Assert.Equal(5, user.FailedLoginCount);
        Assert.True(user.IsLockedOut(Now));
        Assert.Equal(Now.AddMinutes(5), user.LockoutEndsAt);
        var locked = Assert.IsType<UserLockedOut>(Assert.Single(user.DomainEvents));
        Assert.Equal(UserId, locked.UserId);
        Assert.Equal(Now.AddMinutes(5), locked.LockoutEndsAt);
        Assert.Equal(Now, locked.OccurredAt);
    }

    [Theory]
    [InlineData(6, 10)]
    [InlineData(7, 20)]
    [InlineData(8, 40)]
    [InlineData(9, 60)]
    [InlineData(50, 60)]
    public void Further_failed_logins_double_the_lockout_up_to_one_hour(int failures, int minutes)
    {
        var user = FailedTimes(failures, Now);

        Assert.Equal(Now.AddMinutes(minutes), user.LockoutEndsAt);
        Assert.Equal(failures - 4, user.DomainEvents.OfType<UserLockedOut>().Count());
    }

    [Fact]
    public void Lockout_is_measured_from_the_latest_failure()
    {
        var user = FailedTimes(5, Now);

        user.RecordFailedLogin(Now.AddMinutes(1), Policy);

        Assert.Equal(Now.AddMinutes(11), user.LockoutEndsAt);
    }

    [Fact]
    public void Lockout_ends_exactly_at_its_end_time()
    {
        var user = FailedTimes(5, Now);

        Assert.True(user.IsLockedOut(Now.AddMinutes(5).AddTicks(-1)));
        Assert.False(user.IsLockedOut(Now.AddMinutes(5)));
    }

    [Fact]
    public void Failed_login_after_the_lockout_ended_locks_again_for_longer()
    {
        var user = FailedTimes(5, Now);
        var afterLockout = Now.AddMinutes(5);

        user.RecordFailedLogin(afterLockout, Policy);

        Assert.True(user.IsLockedOut(afterLockout));
        Assert.Equal(afterLockout.AddMinutes(10), user.LockoutEndsAt);
    }

    [Fact]
    public void RecordFailedLogin_with_a_non_utc_timestamp_is_refused()
    {
        var user = Registered();

        AssertRefused("now", () => user.RecordFailedLogin(Now.ToOffset(TimeSpan.FromHours(1)), Policy));
        Assert.Equal(0, user.FailedLoginCount);
    }

    [Fact]
    public void Successful_login_resets_the_failure_count_and_records_the_time()
    {
        var user = FailedTimes(3, Now);

        user.RecordSuccessfulLogin(Now.AddMinutes(1));

        Assert.Equal(0, user.FailedLoginCount);
        Assert.Null(user.LockoutEndsAt);
        Assert.Equal(Now.AddMinutes(1), user.LastLoginAt);
    }

    [Fact]
    public void Successful_login_after_the_lockout_ended_clears_the_lockout()
    {
        var user = FailedTimes(5, Now);

        user.RecordSuccessfulLogin(Now.AddMinutes(5));

        Assert.Equal(0, user.FailedLoginCount);
        Assert.Null(user.LockoutEndsAt);
        Assert.Equal(Now.AddMinutes(5), user.LastLoginAt);

        // The count started over: four new failures do not lock.
        for (var i = 0; i < 4; i++)
        {
            user.RecordFailedLogin(Now.AddMinutes(6), Policy);
        }

        Assert.False(user.IsLockedOut(Now.AddMinutes(6)));
    }

    [Fact]
    public void Successful_login_while_locked_out_is_refused_and_keeps_the_lockout()
    {
        var user = FailedTimes(5, Now);

        AssertRefused("lockout", () => user.RecordSuccessfulLogin(Now.AddMinutes(4)));
        Assert.Equal(5, user.FailedLoginCount);
        Assert.Equal(Now.AddMinutes(5), user.LockoutEndsAt);
        Assert.Null(user.LastLoginAt);
    }

    [Fact]
    public void Successful_login_of_a_disabled_user_is_refused()
    {
        var user = Registered();
        user.Disable("stamp-two", Now);

        AssertRefused("disabled", () => user.RecordSuccessfulLogin(Now.AddMinutes(1)));
        Assert.Null(user.LastLoginAt);
    }

    [Fact]
    public void Unlock_ends_the_lockout_and_resets_the_count()
    {
        var user = FailedTimes(5, Now);
        user.ClearDomainEvents();

        user.Unlock(Now.AddMinutes(1));

        Assert.False(user.IsLockedOut(Now.AddMinutes(1)));
        Assert.Equal(0, user.FailedLoginCount);
        Assert.Null(user.LockoutEndsAt);
        Assert.Equal(Now.AddMinutes(1), user.UpdatedAt);
        var unlocked = Assert.IsType<UserUnlocked>(Assert.Single(user.DomainEvents));
        Assert.Equal(UserId, unlocked.UserId);
        Assert.Equal(Now.AddMinutes(1), unlocked.OccurredAt);
    }

    [Fact]
    public void Unlocked_user_can_sign_in_before_the_lockout_would_have_ended()
    {
        var user = FailedTimes(5, Now);
        user.Unlock(Now.AddMinutes(1));

        user.RecordSuccessfulLogin(Now.AddMinutes(2));

        Assert.Equal(Now.AddMinutes(2), user.LastLoginAt);
    }

    [Fact]
    public void Unlock_of_a_user_who_is_not_locked_out_reports_no_change()
    {
        var user = Registered();

        Assert.False(user.Unlock(Now.AddMinutes(1)));
        Assert.Empty(user.DomainEvents);
        Assert.Equal(Now, user.UpdatedAt);
    }

    [Fact]
    public void Disable_sets_disabled_and_replaces_the_stamp()
    {
        var user = Registered();

        user.Disable("stamp-two", Now.AddMinutes(1));

        Assert.True(user.Disabled);
        Assert.Equal("stamp-two", user.SecurityStamp);
        Assert.Equal(Now.AddMinutes(1), user.UpdatedAt);
        var disabled = Assert.IsType<UserDisabled>(Assert.Single(user.DomainEvents));
        Assert.Equal(UserId, disabled.UserId);
    }

    [Fact]
    public void Disable_with_the_current_stamp_is_refused_and_leaves_the_user_enabled()
    {
        var user = Registered();

        AssertRefused("security_stamp", () => user.Disable(Stamp, Now));
        Assert.False(user.Disabled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Disable_without_a_new_stamp_is_refused(string? stamp)
    {
        var user = Registered();

        AssertRefused("security_stamp", () => user.Disable(stamp!, Now));
        Assert.False(user.Disabled);
        Assert.Equal(Stamp, user.SecurityStamp);
    }

    [Fact]
    public void Disable_twice_reports_no_change_and_keeps_the_first_stamp()
    {
        var user = Registered();
        Assert.True(user.Disable("stamp-two", Now));
        user.ClearDomainEvents();

        Assert.False(user.Disable("stamp-three", Now.AddMinutes(1)));
        Assert.Equal("stamp-two", user.SecurityStamp);
        Assert.Equal(Now, user.UpdatedAt);
        Assert.Empty(user.DomainEvents);
    }

    [Fact]
    public void Enable_reverses_Disable_and_the_user_can_sign_in_again()
    {
        var user = Registered();
        user.Disable("stamp-two", Now);
        user.ClearDomainEvents();

        user.Enable(Now.AddMinutes(1));

        Assert.False(user.Disabled);
        Assert.Equal("stamp-two", user.SecurityStamp);
        Assert.Equal(Now.AddMinutes(1), user.UpdatedAt);
        Assert.Equal(UserId, Assert.IsType<UserEnabled>(Assert.Single(user.DomainEvents)).UserId);
        user.RecordSuccessfulLogin(Now.AddMinutes(2));
        Assert.Equal(Now.AddMinutes(2), user.LastLoginAt);
    }

    [Fact]
    public void Enable_of_an_enabled_user_reports_no_change()
    {
        var user = Registered();

        Assert.False(user.Enable(Now.AddMinutes(1)));
        Assert.Empty(user.DomainEvents);
        Assert.Equal(Now, user.UpdatedAt);
    }

    [Fact]
    public void Enable_twice_reports_no_change_the_second_time()
    {
        var user = Registered();
        user.Disable("stamp-two", Now);

        Assert.True(user.Enable(Now));
        Assert.False(user.Enable(Now));
        Assert.False(user.Disabled);
        Assert.Single(user.DomainEvents.OfType<UserEnabled>());
    }
}
