using AuthService.Domain.Tenants;

namespace AuthService.Domain.Tests.Tenants;

public class TenantPolicyAdmissionTests
{
    private static TenantPolicy Policy(bool requireMfa = false, params string[] methods) => TenantPolicy.Create(requireMfa, methods, []);

    [Theory]
    [InlineData(new[] { "pwd" }, new[] { "password" })]
    [InlineData(new[] { "hwk" }, new[] { "passkey" })]
    [InlineData(new[] { "swk" }, new[] { "passkey" })]
    [InlineData(new[] { "pwd", "otp", "mfa" }, new[] { "password" })]
    [InlineData(new[] { "pwd", "hwk", "mfa" }, new[] { "password", "passkey" })]
    [InlineData(new[] { "fed" }, new[] { "federation" })]
    [InlineData(new[] { "fed", "pwd" }, new[] { "federation" })]
    [InlineData(new[] { "fed", "hwk", "mfa" }, new[] { "federation" })]
    [InlineData(new[] { "email" }, new string[0])]
    [InlineData(new[] { "email", "otp", "mfa" }, new string[0])]
    [InlineData(new string[0], new string[0])]
    public void Every_recorded_amr_maps_to_the_policys_methods_and_an_upstreams_values_are_not_this_servers(string[] amr, string[] methods) =>
        Assert.Equal(methods, TenantPolicy.SignInMethodsOf(amr));

    [Fact]
    public void An_empty_method_list_admits_every_session_even_a_sign_in_link() =>
        Assert.Equal(TenantAdmission.Admitted, Policy().Admit(["email"]));

    [Fact]
    public void A_passkey_only_tenant_sends_a_password_session_to_sign_in_again()
    {
        Assert.Equal(TenantAdmission.SignInAnotherWay, Policy(false, TenantPolicy.Passkey).Admit(["pwd"]));
        Assert.Equal(TenantAdmission.Admitted, Policy(false, TenantPolicy.Passkey).Admit(["swk"]));
    }

    [Fact]
    public void A_password_tenant_does_not_take_a_federated_session_whose_upstream_used_a_password() =>
        Assert.Equal(TenantAdmission.SignInAnotherWay, Policy(false, TenantPolicy.Password).Admit(["fed", "pwd"]));

    [Fact]
    public void A_tenant_naming_its_methods_refuses_a_sign_in_link_session() =>
        Assert.Equal(TenantAdmission.SignInAnotherWay, Policy(false, TenantPolicy.Password, TenantPolicy.Passkey).Admit(["email", "otp", "mfa"]));

    [Fact]
    public void Require_mfa_asks_a_one_factor_session_for_the_second_and_admits_a_two_factor_one()
    {
        Assert.Equal(TenantAdmission.SecondFactorNeeded, Policy(true).Admit(["pwd"]));
        Assert.Equal(TenantAdmission.SecondFactorNeeded, Policy(true).Admit(["fed"]));
        Assert.Equal(TenantAdmission.Admitted, Policy(true).Admit(["pwd", "otp", "mfa"]));
    }

    [Fact]
    public void The_method_is_checked_before_the_second_factor() =>
        Assert.Equal(TenantAdmission.SignInAnotherWay, Policy(true, TenantPolicy.Federation).Admit(["pwd"]));
}
