using AuthService.Domain.Users;
using AuthService.Domain.Users.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Users;

public class UserProfileAndPasswordTests
{
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    private static User Registered()
    {
        var user = RegisterAlice();
        user.ClearDomainEvents();
        return user;
    }

    [Fact]
    public void UpdateProfile_with_the_same_profile_returns_false_and_raises_no_event()
    {
        var user = Registered();

        var changed = user.UpdateProfile(Alice(), Later);

        Assert.False(changed);
        Assert.Empty(user.DomainEvents);
        Assert.Equal(Now, user.UpdatedAt);
    }

    [Fact]
    public void UpdateProfile_with_a_new_email_returns_true_and_the_normalized_email_follows()
    {
        var user = Registered();

        var changed = user.UpdateProfile(Alice() with { Email = "Alice.New@Example.org" }, Later);

        Assert.True(changed);
        Assert.Equal("Alice.New@Example.org", user.Email);
        Assert.Equal("ALICE.NEW@EXAMPLE.ORG", user.NormalizedEmail);
        Assert.Equal(Later, user.UpdatedAt);
        var updated = Assert.IsType<UserProfileUpdated>(Assert.Single(user.DomainEvents));
        Assert.Equal(UserId, updated.UserId);
        Assert.Equal(Later, updated.OccurredAt);
    }

    [Fact]
    public void UpdateProfile_removing_the_email_clears_the_normalized_email()
    {
        var user = Registered();

        Assert.True(user.UpdateProfile(Alice() with { Email = null, EmailVerified = false }, Later));

        Assert.Null(user.Email);
        Assert.Null(user.NormalizedEmail);
        Assert.False(user.EmailVerified);
    }

    [Fact]
    public void UpdateProfile_with_a_new_verification_flag_returns_true_and_raises_UserProfileUpdated()
    {
        var user = Registered();

        Assert.True(user.UpdateProfile(Alice() with { EmailVerified = false }, Later));

        Assert.False(user.EmailVerified);
        Assert.IsType<UserProfileUpdated>(Assert.Single(user.DomainEvents));
    }

    [Fact]
    public void UpdateProfile_with_a_new_name_returns_true_and_raises_UserProfileUpdated()
    {
        var user = Registered();

        Assert.True(user.UpdateProfile(Alice() with { Name = "Alice Renamed" }, Later));

        Assert.Equal("Alice Renamed", user.Name);
        Assert.IsType<UserProfileUpdated>(Assert.Single(user.DomainEvents));
    }

    [Fact]
    public void UpdateProfile_keeps_the_password_hash_and_security_stamp()
    {
        var user = Registered();

        user.UpdateProfile(Alice() with { Email = "other@example.com", Name = "Other" }, Later);

        Assert.Equal(PasswordHash, user.PasswordHash);
        Assert.Equal(Stamp, user.SecurityStamp);
    }

    [Fact]
    public void UpdateProfile_changing_the_username_is_refused()
    {
        var user = Registered();

        AssertRefused("username", () => user.UpdateProfile(Alice() with { Username = "bob" }, Later));
        Assert.Equal("Alice", user.Username);
        Assert.Equal("ALICE", user.NormalizedUsername);
    }

    [Fact]
    public void UpdateProfile_with_an_invalid_email_is_refused_and_changes_nothing()
    {
        var user = Registered();

        AssertRefused("email", () => user.UpdateProfile(Alice() with { Email = "bad", Name = "Changed" }, Later));
        Assert.Equal("alice@example.com", user.Email);
        Assert.Equal("Alice Example", user.Name);
        Assert.Empty(user.DomainEvents);
    }

    [Fact]
    public void UpdateProfile_with_email_verified_but_no_email_is_refused() =>
        AssertRefused("email_verified", () => Registered().UpdateProfile(Alice() with { Email = null, EmailVerified = true }, Later));

    [Fact]
    public void UpdateProfile_with_a_non_utc_timestamp_is_refused() =>
        AssertRefused("now", () => Registered().UpdateProfile(Alice() with { Name = "Other" }, Later.ToOffset(TimeSpan.FromHours(-5))));

    [Fact]
    public void ChangePassword_sets_the_hash_and_the_new_stamp_and_raises_UserPasswordChanged()
    {
        var user = Registered();

        user.ChangePassword("v1$new-hash", "stamp-two", Later);

        Assert.Equal("v1$new-hash", user.PasswordHash);
        Assert.Equal("stamp-two", user.SecurityStamp);
        Assert.Equal(Later, user.UpdatedAt);
        var changed = Assert.IsType<UserPasswordChanged>(Assert.Single(user.DomainEvents));
        Assert.Equal(UserId, changed.UserId);
        Assert.Equal(Later, changed.OccurredAt);
    }

    [Fact]
    public void ChangePassword_gives_a_user_without_password_one()
    {
        var user = RegisterAlice(passwordHash: null);

        user.ChangePassword("v1$new-hash", "stamp-two", Later);

        Assert.Equal("v1$new-hash", user.PasswordHash);
    }

    [Fact]
    public void ChangePassword_with_the_current_stamp_is_refused_and_keeps_the_old_hash()
    {
        var user = Registered();

        AssertRefused("security_stamp", () => user.ChangePassword("v1$new-hash", Stamp, Later));
        Assert.Equal(PasswordHash, user.PasswordHash);
        Assert.Empty(user.DomainEvents);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void ChangePassword_without_a_new_stamp_is_refused(string? stamp) =>
        AssertRefused("security_stamp", () => Registered().ChangePassword("v1$new-hash", stamp!, Later));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void ChangePassword_without_a_hash_is_refused_and_keeps_the_stamp(string? hash)
    {
        var user = Registered();

        AssertRefused("password", () => user.ChangePassword(hash!, "stamp-two", Later));
        Assert.Equal(Stamp, user.SecurityStamp);
    }

    [Fact]
    public void UpgradePasswordHash_replaces_the_hash_and_keeps_the_stamp()
    {
        var user = Registered();

        user.UpgradePasswordHash("v2$rehashed", Later);

        Assert.Equal("v2$rehashed", user.PasswordHash);
        Assert.Equal(Stamp, user.SecurityStamp);
        Assert.Equal(Later, user.UpdatedAt);
    }

    [Fact]
    public void UpgradePasswordHash_for_a_user_without_password_is_refused()
    {
        var user = RegisterAlice(passwordHash: null);

        AssertRefused("password", () => user.UpgradePasswordHash("v2$rehashed", Later));
        Assert.Null(user.PasswordHash);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void UpgradePasswordHash_without_a_hash_is_refused(string? hash)
    {
        var user = Registered();

        AssertRefused("password", () => user.UpgradePasswordHash(hash!, Later));
        Assert.Equal(PasswordHash, user.PasswordHash);
    }
}
