using AuthService.Domain.Users;
using AuthService.Domain.Users.Events;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Users;

public class UserRegisterTests
{
    [Fact]
    public void Register_keeps_the_profile_hash_and_stamp()
    {
        var user = RegisterAlice();

        Assert.Equal(UserId, user.Id);
        Assert.Equal("Alice", user.Username);
        Assert.Equal("ALICE", user.NormalizedUsername);
        Assert.Equal("alice@example.com", user.Email);
        Assert.Equal("ALICE@EXAMPLE.COM", user.NormalizedEmail);
        Assert.True(user.EmailVerified);
        Assert.Equal("Alice Example", user.Name);
        Assert.Equal(PasswordHash, user.PasswordHash);
        Assert.Equal(Stamp, user.SecurityStamp);
        Assert.False(user.Disabled);
        Assert.Equal(0, user.FailedLoginCount);
        Assert.Null(user.LockoutEndsAt);
        Assert.Null(user.LastLoginAt);
        Assert.Equal(Now, user.CreatedAt);
        Assert.Equal(Now, user.UpdatedAt);
    }

    [Fact]
    public void Register_raises_UserRegistered_with_the_id()
    {
        var user = RegisterAlice();

        var registered = Assert.IsType<UserRegistered>(Assert.Single(user.DomainEvents));
        Assert.Equal(UserId, registered.UserId);
        Assert.Equal(Now, registered.OccurredAt);
    }

    [Fact]
    public void Register_without_email_or_name_leaves_them_null()
    {
        var user = RegisterAlice(new UserProfile("bob", Email: null, EmailVerified: false, Name: null));

        Assert.Null(user.Email);
        Assert.Null(user.NormalizedEmail);
        Assert.False(user.EmailVerified);
        Assert.Null(user.Name);
    }

    [Fact]
    public void Register_without_password_hash_is_allowed()
    {
        var user = RegisterAlice(passwordHash: null);

        Assert.Null(user.PasswordHash);
    }

    [Theory]
    [InlineData("Alice", "ALICE")]
    [InlineData("alice", "ALICE")]
    [InlineData("Ａｌｉｃｅ", "ALICE")]
    [InlineData("ﬁona", "FIONA")]
    [InlineData("élodie", "ÉLODIE")]
    [InlineData("e\u0301lodie", "ÉLODIE")]
    public void Normalize_applies_nfkc_then_upper_case_invariant(string value, string expected) =>
        Assert.Equal(expected, User.Normalize(value));

    [Fact]
    public void Register_with_a_full_width_username_stores_the_ascii_normalized_form()
    {
        var user = RegisterAlice(Alice() with { Username = "Ａｌｉｃｅ", Email = "ａｌｉｃｅ@example.com" });

        Assert.Equal("Ａｌｉｃｅ", user.Username);
        Assert.Equal("ALICE", user.NormalizedUsername);
        Assert.Equal("ALICE@EXAMPLE.COM", user.NormalizedEmail);
    }

    [Fact]
    public void Register_with_empty_id_is_refused() =>
        AssertRefused("id", () => User.Register(Guid.Empty, Alice(), PasswordHash, Stamp, Now));

    [Fact]
    public void Register_with_a_non_utc_timestamp_is_refused() =>
        AssertRefused("now", () => User.Register(UserId, Alice(), PasswordHash, Stamp, Now.ToOffset(TimeSpan.FromHours(2))));

    [Theory]
    [InlineData("")]
    [InlineData(" alice")]
    [InlineData("alice ")]
    [InlineData("\talice")]
    [InlineData("ali\u0000ce")]
    [InlineData("ali\nce")]
    [InlineData("ali\u007Fce")]
    public void Register_with_invalid_username_is_refused(string username) =>
        AssertRefused("username", () => RegisterAlice(Alice() with { Username = username }));

    [Fact]
    public void Register_with_null_username_is_refused() =>
        AssertRefused("username", () => RegisterAlice(Alice() with { Username = null! }));

    [Fact]
    public void Register_with_username_of_101_characters_is_refused() =>
        AssertRefused("username", () => RegisterAlice(Alice() with { Username = new string('u', 101) }));

    [Fact]
    public void Register_with_username_of_100_characters_is_accepted() =>
        Assert.Equal(100, RegisterAlice(Alice() with { Username = new string('u', 100) }).Username.Length);

    [Fact]
    public void Register_with_username_containing_an_unpaired_surrogate_is_refused() =>
        AssertRefused("username", () => RegisterAlice(Alice() with { Username = "ali\uD800ce" }));

    [Theory]
    [InlineData("")]
    [InlineData("alice.example.com")]
    [InlineData("alice@@example.com")]
    [InlineData("alice@example@com")]
    [InlineData("alice@")]
    [InlineData("@example.com")]
    [InlineData("al ice@example.com")]
    [InlineData("alice@example.com ")]
    [InlineData("alice@exa\tmple.com")]
    [InlineData("alice@exa\u0001mple.com")]
    public void Register_with_invalid_email_is_refused(string email) =>
        AssertRefused("email", () => RegisterAlice(Alice() with { Email = email }));

    [Fact]
    public void Register_with_email_of_255_characters_is_refused() =>
        AssertRefused("email", () => RegisterAlice(Alice() with { Email = "a@" + new string('d', 253) }));

    [Fact]
    public void Register_with_email_of_254_characters_is_accepted() =>
        Assert.Equal(254, RegisterAlice(Alice() with { Email = "a@" + new string('d', 252) }).Email!.Length);

    [Fact]
    public void Register_with_email_verified_but_no_email_is_refused() =>
        AssertRefused("email_verified", () => RegisterAlice(Alice() with { Email = null, EmailVerified = true }));

    [Fact]
    public void Register_with_name_of_201_characters_is_refused() =>
        AssertRefused("name", () => RegisterAlice(Alice() with { Name = new string('n', 201) }));

    [Fact]
    public void Register_with_name_of_200_characters_is_accepted() =>
        Assert.Equal(200, RegisterAlice(Alice() with { Name = new string('n', 200) }).Name!.Length);

    [Theory]
    [InlineData("Alice\nExample")]
    [InlineData("Alice\u0000")]
    [InlineData("\u001BAlice")]
    public void Register_with_control_characters_in_name_is_refused(string name) =>
        AssertRefused("name", () => RegisterAlice(Alice() with { Name = name }));

    [Fact]
    public void Register_with_empty_password_hash_is_refused() =>
        AssertRefused("password", () => RegisterAlice(passwordHash: string.Empty));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Register_without_security_stamp_is_refused(string? stamp) =>
        AssertRefused("security_stamp", () => User.Register(UserId, Alice(), PasswordHash, stamp!, Now));
}
