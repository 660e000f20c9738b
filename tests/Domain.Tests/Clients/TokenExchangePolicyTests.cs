using AuthService.Domain.Clients;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

/// <summary>The token exchange policy (RFC 8693 §5: the server decides who may exchange what) as the Client aggregate keeps it.</summary>
public class TokenExchangePolicyTests
{
    private static ClientSettings Exchanger(TokenExchangePolicy policy) =>
        Confidential() with { GrantTypes = [GrantTypes.TokenExchange], TokenExchange = policy };

    private static readonly TokenExchangePolicy Policy = new()
    {
        Audiences = ["https://orders.example/api"], SubjectClients = ["web"], Impersonation = true,
    };

    [Fact]
    public void A_registered_policy_is_kept_and_an_update_replaces_it()
    {
        var client = Client.Register("svc", Exchanger(Policy), Secret(), Now);
        Assert.True(client.TokenExchange.SameAs(Policy));

        Assert.True(client.UpdateSettings(Exchanger(TokenExchangePolicy.None), Now.AddMinutes(1)));
        Assert.True(client.TokenExchange.IsNone);
        Assert.False(client.UpdateSettings(Exchanger(TokenExchangePolicy.None), Now.AddMinutes(2)));
    }

    [Fact]
    public void By_default_a_client_exchanges_only_its_own_tokens_for_no_resource_and_never_impersonates()
    {
        var policy = Client.Register("svc", Exchanger(TokenExchangePolicy.None), Secret(), Now).TokenExchange;

        Assert.True(policy.MayExchangeTokenOf("svc", "svc"));
        Assert.False(policy.MayExchangeTokenOf("svc", "web"));
        Assert.False(policy.AllowsAudience("https://orders.example/api"));
        Assert.False(policy.Impersonation);
    }

    [Fact]
    public void The_policy_names_the_subject_clients_and_audiences()
    {
        Assert.True(Policy.MayExchangeTokenOf("svc", "web"));
        Assert.False(Policy.MayExchangeTokenOf("svc", "WEB"));
        Assert.True(Policy.AllowsAudience("https://orders.example/api"));
        Assert.False(Policy.AllowsAudience("https://orders.example/api/"));
    }

    [Fact]
    public void A_policy_without_the_grant_is_refused() =>
        AssertRefused("token_exchange", () => Client.Register("svc", Confidential() with { GrantTypes = ["client_credentials"], TokenExchange = Policy }, Secret(), Now));

    [Theory]
    [InlineData("not a uri")]
    [InlineData("https://orders.example/api#fragment")]
    [InlineData("")]
    public void An_audience_that_is_not_a_resource_identifier_is_refused(string audience) =>
        AssertRefused("token_exchange.audiences", () => Client.Register("svc", Exchanger(Policy with { Audiences = [audience] }), Secret(), Now));

    [Theory]
    [InlineData("")]
    [InlineData("bad\u0001id")]
    public void A_subject_client_that_is_not_a_client_id_is_refused(string clientId) =>
        AssertRefused("token_exchange.subject_clients", () => Client.Register("svc", Exchanger(Policy with { SubjectClients = [clientId] }), Secret(), Now));

    [Theory]
    [InlineData("idp.example")]
    [InlineData("http://idp.example")]
    [InlineData("https://idp.example#x")]
    public void A_subject_issuer_that_is_not_an_https_url_is_refused(string issuer) =>
        AssertRefused("token_exchange.subject_issuers", () => Client.Register("svc", Exchanger(Policy with { SubjectIssuers = [issuer] }), Secret(), Now));

    [Fact]
    public void Only_the_named_issuers_jwts_may_be_exchanged()
    {
        var policy = Policy with { SubjectIssuers = ["https://idp.example"] };
        Assert.True(Client.Register("svc", Exchanger(policy), Secret(), Now).TokenExchange.MayExchangeTokenFrom("https://idp.example"));
        Assert.False(policy.MayExchangeTokenFrom("https://idp.example/"));
        Assert.False(Policy.MayExchangeTokenFrom("https://idp.example"));
    }

    [Fact]
    public void Repeated_or_too_many_entries_are_refused()
    {
        AssertRefused("token_exchange.audiences", () =>
            Client.Register("svc", Exchanger(Policy with { Audiences = ["https://a.example", "https://a.example"] }), Secret(), Now));
        AssertRefused("token_exchange.subject_clients", () => Client.Register("svc", Exchanger(Policy with { SubjectClients = ["web", "web"] }), Secret(), Now));
        AssertRefused("token_exchange", () => Client.Register("svc",
            Exchanger(Policy with { SubjectClients = [.. Enumerable.Range(0, TokenExchangePolicy.MaxEntries + 1).Select(i => $"c{i}")] }), Secret(), Now));
    }
}
