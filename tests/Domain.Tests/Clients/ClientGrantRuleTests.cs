using AuthService.Domain.Clients;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Clients;

public class ClientGrantRuleTests
{
    [Fact]
    public void AllowsGrant_a_registered_grant_type() =>
        Assert.True(RegisterConfidential().AllowsGrant(GrantTypes.ClientCredentials));

    [Theory]
    [InlineData(GrantTypes.AuthorizationCode)]
    [InlineData("CLIENT_CREDENTIALS")]
    [InlineData("client_credentials ")]
    [InlineData("")]
    public void AllowsGrant_nothing_else(string grantType) =>
        Assert.False(RegisterConfidential().AllowsGrant(grantType));

    [Fact]
    public void AllowsGrant_client_credentials_never_for_a_public_client_even_when_listed() =>
        Assert.False(Client.AllowsGrant(ClientType.Public, [GrantTypes.ClientCredentials, GrantTypes.AuthorizationCode], GrantTypes.ClientCredentials));

    [Fact]
    public void AllowsGrant_token_exchange_never_for_a_public_client_even_when_listed() =>
        Assert.False(Client.AllowsGrant(ClientType.Public, [GrantTypes.TokenExchange, GrantTypes.AuthorizationCode], GrantTypes.TokenExchange));

    [Fact]
    public void AllowsGrant_the_public_clients_own_grants() =>
        Assert.True(Client.AllowsGrant(ClientType.Public, [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken], GrantTypes.RefreshToken));

    [Fact]
    public void Vouches_for_a_token_issued_after_registration_while_enabled()
    {
        var client = RegisterConfidential();

        Assert.True(client.Vouches(Now));
        Assert.True(client.Vouches(Now.AddHours(1)));
    }

    [Fact]
    public void Vouches_for_a_token_whose_whole_second_iat_is_the_registration_second() =>
        Assert.True(Client.Vouches(enabled: true, createdAt: Now.AddMilliseconds(999), issuedAt: Now));

    [Fact]
    public void Vouches_not_for_a_token_issued_before_the_client_was_registered() =>
        Assert.False(Client.Vouches(enabled: true, createdAt: Now, issuedAt: Now.AddSeconds(-1)));

    [Fact]
    public void Vouches_not_once_disabled()
    {
        var client = RegisterConfidential();
        client.Disable(Now);

        Assert.False(client.Vouches(Now.AddMinutes(1)));
    }

    [Fact]
    public void A_secret_authenticates_strictly_before_its_expiry()
    {
        var hash = Secret();

        Assert.True(ClientSecret.Authenticates(hash, expiresAt: null, SecretValue, Now));
        Assert.True(ClientSecret.Authenticates(hash, Now.AddTicks(1), SecretValue, Now));
        Assert.False(ClientSecret.Authenticates(hash, Now, SecretValue, Now));
        Assert.False(ClientSecret.Authenticates(hash, expiresAt: null, "wrong-secret-0123456789", Now));
    }
}
