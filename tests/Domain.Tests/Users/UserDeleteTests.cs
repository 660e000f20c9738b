using AuthService.Domain.Users;
using AuthService.Domain.Users.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Users;

public class UserDeleteTests
{
    [Fact]
    public void Delete_raises_UserDeleted_with_the_user_and_the_time()
    {
        var user = RegisterAlice();
        user.ClearDomainEvents();

        user.Delete(Now.AddMinutes(3));

        var deleted = Assert.IsType<UserDeleted>(Assert.Single(user.DomainEvents));
        Assert.Equal(UserId, deleted.UserId);
        Assert.Equal(Now.AddMinutes(3), deleted.OccurredAt);
    }

    [Fact]
    public void Delete_with_a_non_utc_timestamp_is_refused_and_raises_nothing()
    {
        var user = RegisterAlice();
        user.ClearDomainEvents();

        AssertRefused("now", () => user.Delete(Now.ToOffset(TimeSpan.FromHours(2))));

        Assert.Empty(user.DomainEvents);
    }

    [Fact]
    public void ValidateProfile_refuses_a_bad_email_before_any_user_exists() =>
        AssertRefused("email", () => User.ValidateProfile(new UserProfile("bob", "no-at-sign", EmailVerified: false, Name: null)));

    [Fact]
    public void ValidateProfile_accepts_a_profile_without_email_or_name() =>
        User.ValidateProfile(new UserProfile("bob", Email: null, EmailVerified: false, Name: null));
}
