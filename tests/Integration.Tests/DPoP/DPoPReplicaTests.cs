using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.DPoP;

/// <summary>
/// Two servers on one PostgreSQL database, as replicas run (same issuer, same key-encryption key): a proof used at
/// one is refused at the other (RFC 9449 §11.1, the replay cache is shared), and a nonce one made is accepted by the
/// other (§8, stateless nonces keyed from the shared key-encryption key).
/// </summary>
public sealed class DPoPReplicaTests
{
    private static readonly Dictionary<string, string?> RequireNonce = new() { ["Auth:DPoP:RequireNonce"] = "true" };

    private static Task<HttpResponseMessage> ClientCredentialsAsync(HttpClient client, string proof)
    {
        var request = Protocol.TokenRequest(Protocol.Form(("grant_type", "client_credentials")), BackChannel.C1Basic);
        request.Headers.Add("DPoP", proof);
        return client.SendAsync(request);
    }

    [Fact]
    public async Task A_proof_used_at_one_replica_is_refused_at_the_other_and_a_nonce_of_one_works_at_the_other()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var a = new InProcessServer(database, TestClients.SeedJson(), overrides: RequireNonce);
        await using var b = new InProcessServer(database, TestClients.SeedJson(), overrides: RequireNonce);
        using var clientA = a.Start();
        using var clientB = b.Start();
        using var key = DPoPKey.Es256();

        var challenge = await ClientCredentialsAsync(clientA, key.Proof());
        await OAuthAssert.TokenErrorAsync(challenge, HttpStatusCode.BadRequest, "use_dpop_nonce");
        var nonceFromA = challenge.Header("DPoP-Nonce")!;

        var proof = key.Proof(nonce: nonceFromA);
        await OAuthAssert.TokenSuccessAsync(await ClientCredentialsAsync(clientB, proof), tokenType: "DPoP");
        await OAuthAssert.TokenErrorAsync(await ClientCredentialsAsync(clientA, proof), HttpStatusCode.BadRequest, "invalid_dpop_proof");
    }
}
