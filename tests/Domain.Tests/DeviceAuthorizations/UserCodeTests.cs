using AuthService.Domain.Common;
using AuthService.Domain.DeviceAuthorizations;

namespace AuthService.Domain.Tests.DeviceAuthorizations;

public class UserCodeTests
{
    [Fact]
    public void New_codes_use_only_the_alphabet_and_have_eight_characters()
    {
        for (var i = 0; i < 200; i++)
        {
            var code = UserCode.New();
            Assert.True(UserCode.IsNormalised(code), code);
        }
    }

    [Fact]
    public void The_alphabet_has_no_vowels_nor_digits()
    {
        Assert.Equal(20, UserCode.Alphabet.Distinct().Count());
        Assert.DoesNotContain(UserCode.Alphabet, c => "AEIOUY01".Contains(c, StringComparison.Ordinal));
    }

    [Fact]
    public void Display_groups_in_two_halves() => Assert.Equal("WDJB-MJHT", UserCode.Display("WDJBMJHT"));

    [Fact]
    public void Display_refuses_a_code_that_is_not_normalised() =>
        Assert.Throws<DomainRuleViolationException>(() => UserCode.Display("wdjb-mjht"));

    [Theory]
    [InlineData("WDJB-MJHT")]
    [InlineData("wdjbmjht")]
    [InlineData(" wdjb - mjht ")]
    [InlineData("WDJ-BMJ-HT")]
    public void Normalise_ignores_case_dashes_and_spaces(string input) => Assert.Equal("WDJBMJHT", UserCode.Normalise(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("WDJB-MJH")]
    [InlineData("WDJB-MJHTB")]
    [InlineData("WDJB-MJH0")]
    [InlineData("AEIO-UBCD")]
    [InlineData("WDJB_MJHT")]
    [InlineData("----------------------------------WDJBMJHT")]
    public void Normalise_refuses_what_cannot_be_a_code(string? input) => Assert.Null(UserCode.Normalise(input));
}
