using AuthService.Application.Seeding.Commands.ApplySeed;
using static AuthService.Application.Tests.Seeding.SeedClients;
using static AuthService.Application.Tests.Seeding.SeedUsers;

namespace AuthService.Application.Tests.Seeding;

public class ApplySeedValidatorUserTests
{
    private static FluentValidation.Results.ValidationResult Validate(SeedDocument document) =>
        new ApplySeedValidator().Validate(new ApplySeed(document));

    [Fact]
    public void Valid_users_have_no_errors()
    {
        var result = Validate(new SeedDocument([Service("svc")], [Alice(), Bob()]));

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_username_is_an_error_on_users_0_username(string? username)
    {
        var result = Validate(SeedUsers.Users(Alice() with { Username = username }));

        Assert.Equal("users[0].username", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Username_over_100_characters_is_an_error_on_username()
    {
        var result = Validate(SeedUsers.Users(Bob(), Alice(new string('u', 101))));

        Assert.Equal("users[1].username", Assert.Single(result.Errors).PropertyName);
    }

    [Theory]
    [InlineData("s3cr3t!")]
    [InlineData("Zq9#")]
    public void Password_shorter_than_8_is_an_error_on_password_that_does_not_contain_it(string password)
    {
        var result = Validate(SeedUsers.Users(Alice(password: password)));

        var error = Assert.Single(result.Errors);
        Assert.Equal("users[0].password", error.PropertyName);
        Assert.Equal("password must be at least 8 characters.", error.ErrorMessage);
        Assert.DoesNotContain(password, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Password_over_256_characters_is_an_error_on_password_that_does_not_contain_it()
    {
        var password = string.Concat(Enumerable.Repeat("Zq9#", 65))[..257];

        var result = Validate(SeedUsers.Users(Alice(password: password)));

        var error = Assert.Single(result.Errors);
        Assert.Equal("users[0].password", error.PropertyName);
        Assert.DoesNotContain(password, error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_password_is_an_error_on_password(string? password)
    {
        var result = Validate(SeedUsers.Users(Alice(password: password)));

        var error = Assert.Single(result.Errors);
        Assert.Equal("users[0].password", error.PropertyName);
        Assert.Equal("password is required.", error.ErrorMessage);
    }

    [Fact]
    public void Null_user_entry_is_an_error_on_that_entry_not_an_exception()
    {
        var result = Validate(new SeedDocument(Clients: null, [Alice(), null!]));

        Assert.Equal("users[1]", Assert.Single(result.Errors).PropertyName);
        Assert.DoesNotContain(Password, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Usernames_differing_only_in_case_are_an_error_on_users()
    {
        var result = Validate(SeedUsers.Users(Alice("alice"), Alice("ALICE") with { Email = "other@example.com" }));

        Assert.Equal("users", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Emails_differing_only_in_case_are_an_error_on_users()
    {
        var result = Validate(SeedUsers.Users(Alice(), Bob() with { Email = "ALICE@Example.COM" }));

        Assert.Equal("users", Assert.Single(result.Errors).PropertyName);
    }

    [Fact]
    public void Users_without_email_do_not_collide()
    {
        var result = Validate(SeedUsers.Users(Bob(), Bob() with { Username = "carol" }));

        Assert.True(result.IsValid);
    }
}
