using System.Security.Cryptography;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AuthService.Integration.Tests.ClientIdMetadata;

/// <summary>
/// Two replicas on one database: nothing about a metadata document client is shared in memory. Each replica fetches
/// the document itself, and a code issued by one is redeemed at the other.
/// </summary>
public sealed class ClientIdMetadataReplicaTests
{
    private const string Redirect = "http://127.0.0.1:50123/callback";

    [Fact]
    public async Task A_code_from_one_replica_is_redeemed_at_another_and_each_fetched_the_document_itself()
    {
        var directory = Directory.CreateTempSubdirectory("cimd-replicas-").FullName;
        try
        {
            await using var documents = await DocumentServer.StartAsync(directory);
            await using var database = await TestDatabase.CreateAsync();
            var overrides = new Dictionary<string, string?>
            {
                ["Auth:OutboundFetch:AllowLoopback"] = "true",
                ["Auth:OutboundFetch:TrustedCertificatesFile"] = documents.CaFile,
            };
            var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            await using var a = new InProcessServer(database, SignInClients.SeedJson(), keyEncryptionKey, overrides);
            await using var b = new InProcessServer(database, SignInClients.SeedJson(), keyEncryptionKey, overrides);
            a.Start();
            var clientB = b.Start();
            documents.Set("replicated", documents.PublicClient("replicated", "http://127.0.0.1/callback"));
            var clientId = documents.Url("replicated");

            using var browser = new Browser(a.Factory.CreateClient(new WebApplicationFactoryClientOptions
            {
                AllowAutoRedirect = false,
                HandleCookies = true,
                BaseAddress = new Uri("https://localhost"),
            }));
            var pkce = PkcePair.New();
            var code = await browser.CodeAsync(clientId, Redirect, "openid", pkce);

            var tokens = await CodeFlowTokens.RedeemAsync(clientB, clientId, null, code, pkce.Verifier, Redirect);
            await OAuthAssert.TokenSuccessAsync(tokens, codeFlow: true);
            Assert.Equal(2, documents.Fetches("replicated"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
