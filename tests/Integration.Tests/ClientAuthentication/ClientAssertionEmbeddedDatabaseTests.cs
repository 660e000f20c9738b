using System.Net;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.ClientAuthentication;

/// <summary>
/// RFC 7523 §3 item 7 on the embedded SQLite database (no connection string), where the replay cache commits
/// concurrent inserts together: under concurrency every assertion is still accepted exactly once, whether its
/// second use lands in the same batch as the first or in a later one.
/// </summary>
public sealed class ClientAssertionEmbeddedDatabaseTests
{
    private const string ClientId = "CSJ-EMBEDDED";
    private const string Secret = "csj-embedded-secret-0123456789abcdef0123456789";

    [Fact]
    public async Task Concurrent_assertions_on_the_embedded_database_are_each_accepted_once()
    {
        using var directory = new TempDirectory();
        var seed = TestClients.SeedDocument();
        seed["clients"]!.AsArray().Add(TestClients.Client(ClientId, Secret, "client_secret_jwt", ["client_credentials"], "api.read"));
        var settings = ServerSettings.For(
            connectionString: "",
            seedFile: directory.WriteFile("seed.json", seed.ToJsonString()),
            dataDirectory: Directory.CreateDirectory(directory.Combine("data")).FullName);
        await using var factory = new AuthServerFactory(settings);
        using var http = factory.CreateClient(new() { AllowAutoRedirect = false });

        // 24 assertions, each sent twice, all 48 requests at once.
        var assertions = Enumerable.Range(0, 24).Select(_ => Assertions.Hs256(Assertions.Claims(ClientId), Secret)).ToList();
        var sends = assertions.Concat(assertions).Select(async assertion => (assertion, response: await http.TokenAsync(assertion)));
        var results = await Task.WhenAll(sends);

        foreach (var assertion in assertions)
        {
            var statuses = results.Where(r => r.assertion == assertion).Select(r => r.response.StatusCode).Order().ToList();
            Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest }, statuses);
        }

        foreach (var (_, response) in results.Where(r => r.response.StatusCode != HttpStatusCode.OK))
        {
            await Assertions.InvalidClientAsync(response);
        }

        // And a later, lone replay is refused too.
        await Assertions.InvalidClientAsync(await http.TokenAsync(assertions[0]));
    }
}
