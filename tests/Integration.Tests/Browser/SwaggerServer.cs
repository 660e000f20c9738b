using System.Text.Json.Nodes;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.BrowserTests;

/// <summary>
/// The built server as its own OS process on a loopback port (see <see cref="LoopbackServer"/>) with Swagger UI
/// enabled (<c>Auth__SwaggerEnabled=true</c>), on a fresh PostgreSQL database seeded with one admin client,
/// SWAGGER-ADMIN (client credentials, client_secret_basic, scope admin): what an operator types into Swagger UI's
/// Authorize dialog. Disposing kills the server and drops the database.
/// </summary>
public sealed class SwaggerServer : IAsyncLifetime
{
    public const string ClientId = "SWAGGER-ADMIN";
    public const string ClientSecret = "swagger-admin-secret-0123456789";

    private readonly string _directory = Directory.CreateTempSubdirectory("authservice-swagger-").FullName;
    private TestDatabase? _database;

    public ServerProcess Process { get; private set; } = null!;

    /// <summary><c>http://127.0.0.1:PORT</c>: the server's address and its issuer identifier.</summary>
    public string Issuer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var seedFile = Path.Combine(_directory, "seed.json");
        await File.WriteAllTextAsync(seedFile, new JsonObject
        {
            ["clients"] = new JsonArray(TestClients.Client(ClientId, ClientSecret, "client_secret_basic", ["client_credentials"], "admin")),
        }.ToJsonString());

        (Process, Issuer) = await LoopbackServer.StartAsync(_database.ConnectionString, seedFile, _directory,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["Auth__SwaggerEnabled"] = "true" });
    }

    public Task DisposeAsync() => LoopbackServer.StopAsync(Process, _database, _directory);
}
