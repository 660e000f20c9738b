using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;

namespace AuthService.Application.Tests.Security;

/// <summary>The cached copy answers every rule exactly as the aggregate it was taken from.</summary>
public class ClientSnapshotTests
{
    private static readonly DateTimeOffset Now = TestClients.RegisteredAt;

    public static TheoryData<string> GrantTypesToAsk() =>
        [GrantTypes.ClientCredentials, GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, "CLIENT_CREDENTIALS", ""];

    [Theory]
    [MemberData(nameof(GrantTypesToAsk))]
    public void AllowsGrant_agrees_with_the_aggregate(string grantType)
    {
        foreach (var client in new[] { TestClients.RegisterService(), TestClients.RegisterBrowser() })
        {
            Assert.Equal(client.AllowsGrant(grantType), ClientSnapshot.From(client).AllowsGrant(grantType));
        }
    }

    [Fact]
    public void HasValidSecret_agrees_with_the_secrets_expiry_rule()
    {
        var client = TestClients.RegisterService();
        client.RotateSecret(SecretHash.Compute("second-secret-0123456789"), previousSecretsExpireAt: Now.AddMinutes(1), Now);
        var snapshot = ClientSnapshot.From(client);

        foreach (var at in new[] { Now, Now.AddMinutes(1).AddTicks(-1), Now.AddMinutes(1), Now.AddDays(1) })
        {
            Assert.Equal(client.Secrets[0].IsValidAt(at), snapshot.HasValidSecret(TestClients.ServiceSecret, at));
            Assert.True(snapshot.HasValidSecret("second-secret-0123456789", at));
        }

        Assert.False(snapshot.HasValidSecret("wrong-secret-0123456789", Now));
    }

    [Fact]
    public void Vouches_agrees_with_the_aggregate()
    {
        var client = TestClients.RegisterService();
        client.Disable(Now.AddMinutes(1));

        foreach (var issuedAt in new[] { Now.AddSeconds(-2), Now, Now.AddHours(1) })
        {
            Assert.Equal(client.Vouches(issuedAt), ClientSnapshot.From(client).Vouches(issuedAt));
            Assert.Equal(TestClients.RegisterService().Vouches(issuedAt), ClientSnapshot.From(TestClients.RegisterService()).Vouches(issuedAt));
        }
    }
}
