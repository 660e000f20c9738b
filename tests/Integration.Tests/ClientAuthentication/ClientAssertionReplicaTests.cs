using System.Security.Cryptography;
using AuthService.Integration.Tests.Infrastructure;
using static AuthService.Integration.Tests.ClientAuthentication.ClientAssertionFixture;

namespace AuthService.Integration.Tests.ClientAuthentication;

/// <summary>
/// OIDC Core §9 ("jti ... MUST only be used once"), fosite CVE-2020-15222: the single use of an assertion holds
/// across replicas, two real server processes on one database.
/// </summary>
public sealed class ClientAssertionReplicaTests
{
    private const string ClientId = "PKJ-REPLICAS";

    [Fact]
    public async Task An_assertion_used_on_one_replica_is_refused_on_another()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var replicas = new ReplicaSet(database.ConnectionString);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var seed = TestClients.SeedDocument();
        seed["clients"]!.AsArray().Add(KeyClient(ClientId, jwks: Set(Jwk(key, "r-1"))));
        await File.WriteAllTextAsync(replicas.SeedFile, seed.ToJsonString());
        var all = await replicas.StartAsync("A", "B");
        var assertion = Assertions.Es256(Assertions.Claims(ClientId), key, "r-1");

        await OAuthAssert.TokenSuccessAsync(await all[0].Client.TokenAsync(assertion));

        await Assertions.InvalidClientAsync(await all[1].Client.TokenAsync(assertion));
    }
}
