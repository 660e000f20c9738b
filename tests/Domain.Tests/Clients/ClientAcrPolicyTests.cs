using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

/// <summary>A client's <c>require_mfa</c> and OIDC Dynamic Client Registration 1.0 §2 <c>default_acr_values</c>.</summary>
public class ClientAcrPolicyTests
{
    private const string Mfa = "urn:authservice:acr:mfa";

    [Fact]
    public void Require_mfa_and_default_acr_values_are_registered_and_reconfigured()
    {
        var client = Client.Register("spa", Public() with { RequireMfa = true, DefaultAcrValues = [Mfa] }, secret: null, Now);
        Assert.True(client.RequireMfa);
        Assert.Equal([Mfa], client.DefaultAcrValues);

        Assert.True(client.Reconfigure(Public(), replacementSecret: null, Now.AddMinutes(1)));
        Assert.False(client.RequireMfa);
        Assert.Empty(client.DefaultAcrValues);
        Assert.False(client.Reconfigure(Public(), replacementSecret: null, Now.AddMinutes(2)));
    }

    [Theory]
    [InlineData("urn:example:gold")]
    [InlineData("")]
    [InlineData("URN:AUTHSERVICE:ACR:MFA")]
    public void A_default_acr_value_not_defined_here_is_refused(string value) =>
        Assert.Equal("default_acr_values", Assert.Throws<DomainRuleViolationException>(() =>
            Client.Register("spa", Public() with { DefaultAcrValues = [value] }, secret: null, Now)).Field);

    [Fact]
    public void A_repeated_default_acr_value_is_refused() =>
        Assert.Equal("default_acr_values", Assert.Throws<DomainRuleViolationException>(() =>
            Client.Register("spa", Public() with { DefaultAcrValues = [Mfa, Mfa] }, secret: null, Now)).Field);

    [Fact]
    public void A_refused_reconfiguration_leaves_the_policy_as_it_was()
    {
        var client = Client.Register("spa", Public() with { RequireMfa = true }, secret: null, Now);

        Assert.Throws<DomainRuleViolationException>(() =>
            client.Reconfigure(Public() with { DefaultAcrValues = ["urn:example:gold"] }, replacementSecret: null, Now.AddMinutes(1)));

        Assert.True(client.RequireMfa);
        Assert.Empty(client.DefaultAcrValues);
    }
}
