using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Hosting;

/// <summary>
/// What happens before the first request: replicas racing on an empty database, a wrong
/// key-encryption key, and a broken seed file. A start either completes fully or fails with a message
/// an operator can act on, without leaking secrets and without writing half a seed.
/// </summary>
public sealed class StartupTests
{
    private const string ValidSecret = "valid-secret-0123456789-abcdef";

    // RFC 8414 §3.3 at first start: two replicas on one empty database agree on one key per algorithm.
    [Fact]
    public async Task Two_servers_starting_together_on_an_empty_database_share_one_key_per_algorithm()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var a = new InProcessServer(database, TestClients.SeedJson());
        await using var b = new InProcessServer(database, TestClients.SeedJson());

        var clients = await Task.WhenAll(Task.Run(a.Start), Task.Run(b.Start));
        using var clientA = clients[0];
        using var clientB = clients[1];

        Assert.Equal(["ES256:1", "EdDSA:1", "RS256:1"], await database.ActiveKeysPerAlgorithmAsync());
        Assert.Equal(6L, await database.ScalarAsync<long>("SELECT count(*) FROM clients"));

        var jwksA = await clientA.GetStringAsync("/.well-known/jwks.json");
        var jwksB = await clientB.GetStringAsync("/.well-known/jwks.json");
        Assert.Equal(jwksA, jwksB);

        var tokenA = (await OAuthAssert.TokenSuccessAsync(await clientA.PostC1Async())).GetProperty("access_token").GetString()!;
        var tokenB = (await OAuthAssert.TokenSuccessAsync(await clientB.PostC1Async())).GetProperty("access_token").GetString()!;
        await AccessTokens.AssertValidAsync(tokenA, jwksB, TestClients.Issuer, TestClients.Issuer);
        await AccessTokens.AssertValidAsync(tokenB, jwksA, TestClients.Issuer, TestClients.Issuer);
    }

    // Keys encrypted under one key-encryption key cannot be used under another: the start fails and
    // says which setting to fix, without printing either key.
    [Fact]
    public async Task A_different_key_encryption_key_stops_the_start_with_a_clear_message()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var first = new InProcessServer(database, TestClients.SeedJson()))
        {
            using var client = first.Start();
        }

        await using var second = new InProcessServer(database, TestClients.SeedJson(), TestClients.OtherKeyEncryptionKey);
        var output = await second.StartExpectingFailureAsync();

        Assert.Contains("Auth:KeyEncryptionKey", output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestClients.KeyEncryptionKey, output, StringComparison.Ordinal);
        Assert.DoesNotContain(TestClients.OtherKeyEncryptionKey, output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> InvalidSeeds => new()
    {
        // A typo of redirect_uris must not be ignored silently.
        {
            "unknown member",
            Seed(Valid(), """{ "client_id": "bad", "client_secret": "bad-client-secret-0123456789", "grant_types": ["authorization_code"], "redirect_uri": "https://bad.example/cb" }"""),
            "redirect_uri"
        },

        // ASVS 1.5.3: duplicate members are refused, not "last one wins".
        {
            "duplicate member",
            Seed(Valid(), """{ "client_id": "bad", "client_id": "other", "client_secret": "bad-client-secret-0123456789", "grant_types": ["client_credentials"] }"""),
            "client_id"
        },
        {
            "short secret",
            Seed(Valid(), """{ "client_id": "bad", "client_secret": "x7Q#z", "grant_types": ["client_credentials"] }"""),
            "client_secret"
        },

        // OAuth 2.1 §4.2: client_credentials is for confidential clients only.
        {
            "public client with client_credentials",
            Seed(Valid(), """{ "client_id": "bad", "token_endpoint_auth_method": "none", "grant_types": ["client_credentials"] }"""),
            "client_credentials"
        },
        {
            "the same client twice",
            Seed(Valid(), Valid()),
            "client_id"
        },
        {
            "not JSON",
            "{ \"clients\": [ " + Valid() + ", ",
            "seed file"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidSeeds))]
    public async Task An_invalid_seed_stops_the_start_and_writes_nothing(string problem, string seedJson, string named)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, seedJson);

        var messages = await server.StartExpectingFailureAsync();
        Assert.True(messages.Contains(named, StringComparison.Ordinal), $"{problem}: the error does not name '{named}': {messages}");
        Assert.DoesNotContain(ValidSecret, messages, StringComparison.Ordinal);
        Assert.DoesNotContain("bad-client-secret-0123456789", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("x7Q#z", messages, StringComparison.Ordinal);

        // All or nothing: the valid client declared before the invalid one is not there either.
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM clients"));
    }

    [Fact]
    public async Task A_missing_seed_file_stops_the_start()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson());
        File.Delete(server.SeedFile);

        var output = await server.StartExpectingFailureAsync();

        Assert.Contains("Auth:SeedFile", output, StringComparison.Ordinal);
    }

    private static string Valid() => TestClients.Client("V1", ValidSecret, "client_secret_basic", ["client_credentials"], "api.read").ToJsonString();

    private static string Seed(params string[] clients) => "{ \"clients\": [ " + string.Join(", ", clients) + " ] }";
}
