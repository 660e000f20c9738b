using AuthService.Domain.Users;

namespace AuthService.Domain.Tests.Users;

public class LockoutPolicyTests
{
    private static readonly LockoutPolicy Policy = LockoutPolicy.Default;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Below_the_threshold_there_is_no_lockout(int failures) =>
        Assert.Equal(TimeSpan.Zero, Policy.LockoutFor(failures));

    [Fact]
    public void At_the_threshold_the_lockout_is_the_base() =>
        Assert.Equal(TimeSpan.FromMinutes(5), Policy.LockoutFor(5));

    [Theory]
    [InlineData(6, 10)]
    [InlineData(7, 20)]
    [InlineData(8, 40)]
    public void Each_further_failure_doubles_the_lockout(int failures, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), Policy.LockoutFor(failures));

    [Theory]
    [InlineData(9)]
    [InlineData(20)]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(100)]
    public void Lockout_is_capped_at_the_maximum(int failures) =>
        Assert.Equal(TimeSpan.FromHours(1), Policy.LockoutFor(failures));

    [Theory]
    [InlineData(int.MaxValue / 1000)]
    [InlineData(int.MaxValue)]
    public void Very_large_failure_counts_do_not_overflow_and_give_the_cap(int failures) =>
        Assert.Equal(TimeSpan.FromHours(1), Policy.LockoutFor(failures));

    [Fact]
    public void A_custom_policy_doubles_from_its_own_base_up_to_its_own_cap()
    {
        var policy = new LockoutPolicy(MaxFailedAttempts: 3, BaseLockout: TimeSpan.FromSeconds(30), MaxLockout: TimeSpan.FromMinutes(3));

        Assert.Equal(TimeSpan.Zero, policy.LockoutFor(2));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.LockoutFor(3));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.LockoutFor(4));
        Assert.Equal(TimeSpan.FromSeconds(120), policy.LockoutFor(5));
        Assert.Equal(TimeSpan.FromMinutes(3), policy.LockoutFor(6));
    }

    [Fact]
    public void A_day_long_cap_is_reached_without_overflow() =>
        Assert.Equal(
            TimeSpan.FromDays(1),
            new LockoutPolicy(5, TimeSpan.FromHours(1), TimeSpan.FromDays(1)).LockoutFor(int.MaxValue / 1000));
}
