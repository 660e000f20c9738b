using AuthService.Domain.Sessions;

namespace AuthService.Domain.Tests.Sessions;

/// <summary>
/// The one rule combining the client's <c>require_mfa</c> and <c>default_acr_values</c> (OIDC Dynamic Client Registration
/// 1.0 §2) with a request's <c>acr_values</c> (OIDC Core §3.1.2.1) and its <c>claims</c> acr (§5.5.1.1).
/// </summary>
public class AcrPolicyTests
{
    private const string Pwd = AuthenticationMethods.AcrPassword;
    private const string Mfa = AuthenticationMethods.AcrMfa;
    private const string Gold = "urn:example:gold";

    private static AcrRequirement Of(bool requireMfa = false, string[]? defaults = null, string[]? acrValues = null, AcrClaimRequest? claim = null) =>
        AcrPolicy.Of(requireMfa, defaults ?? [], acrValues ?? [], claim);

    [Fact]
    public void Nothing_asked_and_no_policy_needs_no_second_factor() => Assert.Equal(AcrRequirement.None, Of());

    [Fact]
    public void Require_mfa_needs_two_factors_even_when_the_request_accepts_the_password() =>
        Assert.Equal(AcrRequirement.MultipleFactors, Of(requireMfa: true, acrValues: [Pwd]));

    [Fact]
    public void Default_acr_values_naming_mfa_apply_when_the_request_names_no_acr_values() =>
        Assert.Equal(AcrRequirement.MultipleFactors, Of(defaults: [Mfa]));

    [Fact]
    public void The_requests_acr_values_replace_the_defaults() =>
        Assert.Equal(AcrRequirement.None, Of(defaults: [Mfa], acrValues: [Pwd]));

    [Fact]
    public void Defaults_accepting_either_level_are_met_by_the_password() =>
        Assert.Equal(AcrRequirement.None, Of(defaults: [Mfa, Pwd]));

    [Fact]
    public void Acr_values_naming_only_values_not_defined_here_are_ignored() =>
        Assert.Equal(AcrRequirement.None, Of(acrValues: [Gold]));

    [Fact]
    public void An_essential_acr_naming_only_mfa_needs_two_factors() =>
        Assert.Equal(AcrRequirement.MultipleFactors, Of(claim: new AcrClaimRequest(Essential: true, [Gold, Mfa])));

    [Fact]
    public void An_essential_acr_accepting_the_password_level_is_met_by_it_whatever_acr_values_say() =>
        Assert.Equal(AcrRequirement.None, Of(acrValues: [Mfa], claim: new AcrClaimRequest(Essential: true, [Pwd])));

    [Fact]
    public void An_essential_acr_naming_nothing_defined_here_is_unsatisfiable_even_for_a_require_mfa_client() =>
        Assert.Equal(AcrRequirement.Unsatisfiable, Of(requireMfa: true, claim: new AcrClaimRequest(Essential: true, [Gold])));

    [Fact]
    public void An_essential_acr_without_values_asks_for_the_claim_only() =>
        Assert.Equal(AcrRequirement.None, Of(claim: new AcrClaimRequest(Essential: true, [])));

    [Fact]
    public void A_voluntary_acr_is_a_wish_like_acr_values()
    {
        Assert.Equal(AcrRequirement.MultipleFactors, Of(claim: new AcrClaimRequest(Essential: false, [Mfa])));
        Assert.Equal(AcrRequirement.None, Of(claim: new AcrClaimRequest(Essential: false, [Gold])));
        Assert.Equal(AcrRequirement.None, Of(acrValues: [Pwd], claim: new AcrClaimRequest(Essential: false, [Mfa])));
    }

    [Fact]
    public void A_voluntary_acr_with_values_replaces_the_defaults_and_one_without_does_not() =>
        Assert.Equal((AcrRequirement.None, AcrRequirement.MultipleFactors),
            (Of(defaults: [Mfa], claim: new AcrClaimRequest(false, [Pwd])), Of(defaults: [Mfa], claim: new AcrClaimRequest(false, []))));
}
