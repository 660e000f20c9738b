using AuthService.Domain.Sessions;

namespace AuthService.Domain.Tests.Sessions;

/// <summary>RFC 8176 §2: a second factor adds its values and <c>mfa</c> to the first factor's, which stay as they were.</summary>
public class WithSecondFactorTests
{
    [Fact]
    public void A_password_and_a_code_say_pwd_otp_mfa() =>
        Assert.Equal(AuthenticationMethods.PasswordAndOtp, AuthenticationMethods.WithSecondFactor(AuthenticationMethods.PasswordOnly, AuthenticationMethods.OneTimePassword));

    [Fact]
    public void A_sign_in_link_and_a_code_say_email_otp_mfa_never_pwd()
    {
        var methods = AuthenticationMethods.WithSecondFactor(AuthenticationMethods.EmailLinkOnly, AuthenticationMethods.OneTimePassword);

        Assert.Equal(["email", "otp", "mfa"], methods);
        Assert.Equal(AuthenticationMethods.AcrMfa, AuthenticationMethods.AcrOf(methods));
    }

    [Fact]
    public void Values_are_not_repeated_and_mfa_comes_once_at_the_end() =>
        Assert.Equal(["pwd", "otp", "hwk", "mfa"], AuthenticationMethods.WithSecondFactor(["pwd", "otp"], "otp", "hwk"));

    [Fact]
    public void A_second_factor_needs_a_first_and_a_second() =>
        Assert.All(new Action[]
        {
            () => AuthenticationMethods.WithSecondFactor([], AuthenticationMethods.OneTimePassword),
            () => AuthenticationMethods.WithSecondFactor(AuthenticationMethods.PasswordOnly),
        }, action => Assert.Throws<ArgumentException>(action));
}
