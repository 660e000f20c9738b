using AuthService.Application.Authorization;
using AuthService.Domain.Sessions;

namespace AuthService.Application.Tests.Authorization;

/// <summary>The strict reading of the OIDC Core §5.5 <c>claims</c> parameter: only <c>id_token.acr</c> is honoured.</summary>
public class ClaimsParameterTests
{
    private const string Mfa = AuthenticationMethods.AcrMfa;

    private static AcrClaimRequest? Read(string? text)
    {
        var parsed = ClaimsParameter.Parse(text);
        Assert.True(parsed.IsSuccess, parsed.IsSuccess ? null : parsed.Error.Description);
        return parsed.Value;
    }

    [Fact]
    public void No_parameter_asks_for_nothing() => Assert.Null(Read(null));

    [Fact]
    public void Essential_values_are_read_in_order_of_preference() =>
        Assert.Equal(new AcrClaimRequest(true, ["urn:example:gold", Mfa]),
            Read("""{"id_token":{"acr":{"essential":true,"values":["urn:example:gold","urn:authservice:acr:mfa"]}}}"""), AcrClaimComparer.Instance);

    [Fact]
    public void A_single_value_is_one_value_and_without_essential_it_is_voluntary() =>
        Assert.Equal(new AcrClaimRequest(false, [Mfa]), Read("""{"id_token":{"acr":{"value":"urn:authservice:acr:mfa"}}}"""), AcrClaimComparer.Instance);

    [Fact]
    public void Acr_null_asks_for_the_claim_in_the_default_manner() =>
        Assert.Equal(new AcrClaimRequest(false, []), Read("""{"id_token":{"acr":null}}"""), AcrClaimComparer.Instance);

    [Theory] // OIDC Core §5.5: members not understood are ignored, and acr is honoured in the ID token only.
    [InlineData("""{}""")]
    [InlineData("""{"userinfo":{"acr":{"essential":true,"values":["urn:authservice:acr:mfa"]},"email":null}}""")]
    [InlineData("""{"id_token":{"email":{"essential":true,"extra":[1,2]},"auth_time":null},"other":42}""")]
    public void Other_members_are_accepted_and_ignored(string text) => Assert.Null(Read(text));

    [Fact]
    public void Members_of_the_acr_request_not_understood_are_ignored() =>
        Assert.Equal(new AcrClaimRequest(true, [Mfa]), Read("""{"id_token":{"acr":{"essential":true,"value":"urn:authservice:acr:mfa","purpose":"x"}}}"""),
            AcrClaimComparer.Instance);

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"id_token":null}""")]
    [InlineData("""{"id_token":{"acr":"urn:authservice:acr:mfa"}}""")]
    [InlineData("""{"id_token":{"acr":{"essential":null}}}""")]
    [InlineData("""{"id_token":{"email":{"values":{}}}}""")]
    [InlineData("""{"id_token":{"acr":{"values":[]}}}""")]
    [InlineData("""{"id_token":{"acr":{"values":[""]}}}""")]
    [InlineData("""{"id_token":{"acr":{"values":[null]}}}""")]
    [InlineData("""{"id_token":{"acr":{"value":""}}}""")]
    [InlineData("""{"id_token":{"acr":{"value":"a","values":["a"]}}}""")]
    [InlineData("""{"id_token":{"acr":null,"acr":null}}""")]
    [InlineData("""{"id_token":{"acr":null}} trailing""")]
    [InlineData("""{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":1}}}}}}}}}""")]
    public void Malformed_json_or_wrong_types_are_invalid_request(string text)
    {
        var parsed = ClaimsParameter.Parse(text);

        Assert.False(parsed.IsSuccess);
        Assert.Equal("invalid_request", parsed.Error.Code);
    }

    [Fact]
    public void A_value_longer_than_the_limit_is_refused_and_one_at_the_limit_is_read()
    {
        var prefix = """{"id_token":{"acr":null},"x":" """.TrimEnd();
        var atLimit = prefix + new string('y', AuthorizationParameters.MaxClaimsLength - prefix.Length - 2) + "\"}";
        Assert.Equal(AuthorizationParameters.MaxClaimsLength, atLimit.Length);

        Assert.NotNull(Read(atLimit));
        Assert.Equal("invalid_request", ClaimsParameter.Parse(atLimit[..^2] + "y\"}").Error!.Code);
    }

    /// <summary>Records compare lists by reference; this compares the values.</summary>
    private sealed class AcrClaimComparer : IEqualityComparer<AcrClaimRequest?>
    {
        public static readonly AcrClaimComparer Instance = new();

        public bool Equals(AcrClaimRequest? x, AcrClaimRequest? y) =>
            x is not null && y is not null && x.Essential == y.Essential && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(AcrClaimRequest? obj) => 0;
    }
}
