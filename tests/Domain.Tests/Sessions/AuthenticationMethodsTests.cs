using AuthService.Domain.Passkeys;
using AuthService.Domain.Sessions;

namespace AuthService.Domain.Tests.Sessions;

public class AuthenticationMethodsTests
{
    [Fact] // RFC 8176 §2: the first factor, the second, and mfa for two factors of different kinds.
    public void A_second_factor_after_the_password_adds_its_method_and_mfa()
    {
        Assert.Equal(["pwd", "otp", "mfa"], AuthenticationMethods.WithSecondFactor(AuthenticationMethods.PasswordOnly, AuthenticationMethods.OneTimePassword));
        Assert.Equal(["pwd", "hwk", "mfa"], AuthenticationMethods.WithSecondFactor(AuthenticationMethods.PasswordOnly, PasskeyMethods.HardwareKey));
        Assert.Equal(["pwd", "swk", "mfa"], AuthenticationMethods.WithSecondFactor(AuthenticationMethods.PasswordOnly, PasskeyMethods.SoftwareKey));
        Assert.Equal(AuthenticationMethods.PasswordAndOtp, AuthenticationMethods.WithSecondFactor(AuthenticationMethods.PasswordOnly, AuthenticationMethods.OneTimePassword));
        Assert.Equal(AuthenticationMethods.AcrMfa,
            AuthenticationMethods.AcrOf(AuthenticationMethods.WithSecondFactor(AuthenticationMethods.PasswordOnly, PasskeyMethods.HardwareKey)));
    }

    [Fact]
    public void The_second_factors_a_session_proved_are_its_otp_hwk_or_swk()
    {
        Assert.Empty(AuthenticationMethods.SecondFactorsIn(AuthenticationMethods.PasswordOnly));
        Assert.Empty(AuthenticationMethods.SecondFactorsIn(AuthenticationMethods.EmailLinkOnly));
        Assert.Equal(["otp"], AuthenticationMethods.SecondFactorsIn(AuthenticationMethods.PasswordAndOtp));
        Assert.Equal(["hwk"], AuthenticationMethods.SecondFactorsIn(PasskeyMethods.Passwordless(PasskeyMethods.HardwareKey)));
        Assert.Equal(["swk"], AuthenticationMethods.SecondFactorsIn(["pwd", "swk", "mfa"]));
    }
}
