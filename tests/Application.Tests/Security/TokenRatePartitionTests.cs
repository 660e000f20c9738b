using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Clients;
using Microsoft.Extensions.Logging.Abstractions;
using static AuthService.Application.Tests.TestClients;

namespace AuthService.Application.Tests.Security;

/// <summary>Whose budget a token request spends (docs/adr/0043): only a client that proved who it is spends its own.</summary>
public class TokenRatePartitionTests
{
    private const string Remote = "203.0.113.7";

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeThrottle _throttle = new();
    private readonly FakeTokenRateLimiter _limiter = new();
    private readonly ClientAuthenticator _authenticator;

    public TokenRatePartitionTests()
    {
        _authenticator = new ClientAuthenticator(_catalog, _throttle, new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(), _limiter,
            new FakeTimeProvider(TestClock.Start), NullLogger<ClientAuthenticator>.Instance);
    }

    private Task<ProtocolResult<ClientSnapshot>> Token(string clientId, string? secret, PresentedAuthMethod method, string grantType = GrantTypes.ClientCredentials) =>
        _authenticator.AuthenticateForTokenAsync(new ClientCredentials(clientId, secret, method), Remote, grantType, CancellationToken.None);

    [Fact]
    public async Task An_authenticated_confidential_client_spends_its_own_budget_wherever_it_calls_from()
    {
        _catalog.Add(RegisterService("svc", Service() with { TokenRateLimit = 7 }));

        var result = await Token("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic);

        Assert.True(result.IsSuccess);
        var spent = Assert.Single(_limiter.Spent);
        Assert.Equal(new TokenRatePartition("svc", null, 7), spent);
        Assert.False(spent.IsUnauthenticated);
    }

    [Fact]
    public async Task A_client_without_its_own_limit_names_none_so_the_default_applies()
    {
        _catalog.Add(RegisterService("svc"));

        await Token("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic);

        Assert.Equal(new TokenRatePartition("svc", null, null), Assert.Single(_limiter.Spent));
    }

    [Fact]
    public async Task A_public_client_spends_its_budget_at_the_source_address_since_its_client_id_proves_nothing()
    {
        _catalog.Add(RegisterBrowser("spa"));

        var result = await Token("spa", null, PresentedAuthMethod.None, GrantTypes.AuthorizationCode);

        Assert.True(result.IsSuccess);
        Assert.Equal(new TokenRatePartition("spa", Remote, null), Assert.Single(_limiter.Spent));
    }

    [Theory]
    [InlineData("svc", ServiceSecret + "x")]
    [InlineData("nobody", ServiceSecret)]
    public async Task A_failed_authentication_spends_the_source_address_budget_never_the_named_clients(string clientId, string secret)
    {
        _catalog.Add(RegisterService("svc"));

        var result = await Token(clientId, secret, PresentedAuthMethod.ClientSecretBasic);

        Assert.Equal(OAuthErrorCodes.InvalidClient, result.Error!.Code);
        var spent = Assert.Single(_limiter.Spent);
        Assert.True(spent.IsUnauthenticated);
        Assert.Equal(TokenRatePartition.ForUnauthenticated(Remote), spent);
        Assert.DoesNotContain(_limiter.Spent, p => p.ClientId == "svc");
    }

    [Fact]
    public async Task Beyond_the_clients_budget_the_answer_is_429_material_with_the_wait()
    {
        _catalog.Add(RegisterService("svc"));
        _limiter.Exhausted[new TokenRatePartition("svc", null, null)] = TimeSpan.FromMilliseconds(300);

        var result = await Token("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic);

        Assert.False(result.IsSuccess);
        Assert.Equal(OAuthErrorCodes.InvalidRequest, result.Error!.Code);
        Assert.Equal(TimeSpan.FromMilliseconds(300), result.Error!.RetryAfter);
    }

    [Fact]
    public async Task Beyond_the_addresses_budget_a_failed_authentication_is_429_too()
    {
        _limiter.Exhausted[TokenRatePartition.ForUnauthenticated(Remote)] = TimeSpan.FromSeconds(20);

        var result = await Token("nobody", ServiceSecret, PresentedAuthMethod.ClientSecretBasic);

        Assert.Equal(OAuthErrorCodes.InvalidRequest, result.Error!.Code);
        Assert.Equal(TimeSpan.FromSeconds(20), result.Error!.RetryAfter);
    }

    [Fact]
    public async Task The_grant_is_checked_after_the_permit_is_spent()
    {
        _catalog.Add(RegisterService("svc"));

        var result = await Token("svc", ServiceSecret, PresentedAuthMethod.ClientSecretBasic, GrantTypes.AuthorizationCode);

        Assert.Equal(OAuthErrorCodes.UnauthorizedClient, result.Error!.Code);
        Assert.Single(_limiter.Spent);
    }

    [Fact]
    public void The_partition_of_a_client_carries_its_limit_so_a_changed_limit_is_a_new_budget()
    {
        var before = TokenRatePartition.ForClient(ClientSnapshot.From(RegisterService("svc", Service() with { TokenRateLimit = 5 })), Remote);
        var after = TokenRatePartition.ForClient(ClientSnapshot.From(RegisterService("svc", Service() with { TokenRateLimit = 6 })), Remote);

        Assert.NotEqual(before, after);
    }
}
