using AuthService.Application.Common.Security;

namespace AuthService.Application.Tests.Security;

public class PasswordPolicyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Missing_password_is_required(string? password) =>
        Assert.Equal("password is required.", PasswordPolicy.Validate(password));

    [Fact]
    public void Password_of_7_characters_is_too_short() =>
        Assert.Equal("password must be at least 8 characters.", PasswordPolicy.Validate("s3cr3t!"));

    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    public void Password_of_8_to_256_characters_is_accepted(int length) =>
        Assert.Null(PasswordPolicy.Validate(new string('p', length)));

    [Fact]
    public void Password_of_257_characters_is_too_long() =>
        Assert.Equal("password must be at most 256 characters.", PasswordPolicy.Validate(new string('p', 257)));

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("alllowercase")]
    [InlineData("12345678")]
    [InlineData("correct horse battery staple")]
    [InlineData("  spaces  ")]
    [InlineData("pässwörd😀")]
    public void Password_without_composition_rules_is_accepted(string password) =>
        Assert.Null(PasswordPolicy.Validate(password));

    [Theory]
    [InlineData("s3cr3t!")]
    [InlineData("Zq9#")]
    public void Message_for_a_short_password_does_not_contain_it(string password) =>
        Assert.DoesNotContain(password, PasswordPolicy.Validate(password)!, StringComparison.Ordinal);

    [Fact]
    public void Message_for_a_long_password_does_not_contain_it()
    {
        var password = string.Concat(Enumerable.Repeat("Zq9#", 65))[..257];

        Assert.DoesNotContain(password, PasswordPolicy.Validate(password)!, StringComparison.Ordinal);
    }
}
