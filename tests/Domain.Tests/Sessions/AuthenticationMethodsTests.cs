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

    [Fact] // RFC 8176 §2 fed: one factor alone; the upstream's mfa, or this server's second factor after it, reaches the mfa level.
    public void A_federated_sign_in_is_one_factor_unless_mfa_follows_and_its_second_factors_are_never_taken_as_this_accounts()
    {
        Assert.Equal(AuthenticationMethods.AcrPassword, AuthenticationMethods.AcrOf(["fed"]));
        Assert.Equal(AuthenticationMethods.AcrPassword, AuthenticationMethods.AcrOf(["fed", "pwd"]));
        Assert.Equal(AuthenticationMethods.AcrMfa, AuthenticationMethods.AcrOf(["fed", "pwd", "otp", "mfa"]));
        Assert.Equal(["fed", "pwd", "otp", "mfa"], AuthenticationMethods.WithSecondFactor(["fed", "pwd"], AuthenticationMethods.OneTimePassword));

        // The upstream's otp or hwk are the upstream's: a password change in that browser asks this account's second factor.
        Assert.Empty(AuthenticationMethods.SecondFactorsIn(["fed", "pwd", "otp", "mfa"]));
        Assert.Empty(AuthenticationMethods.SecondFactorsIn(["fed", "hwk"]));
    }
}
