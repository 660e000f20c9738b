using AuthService.Integration.Tests.BrowserTests;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Guides;

/// <summary>
/// AuthService as scripts/run.sh starts it, with the demo seed (src/WebApi/demo-seed.json: demo-service, admin-cli,
/// alice, ...), on its own process, port and PostgreSQL database: the server the curl guide, the Postman collection and
/// the SDKs are written against. A subclass adds settings (Swagger, a registration policy, a fixed issuer).
/// </summary>
public abstract class DemoServerProcess : IAsyncLifetime
{
    /// <summary>The demo seed's client with scope <c>admin</c>.</summary>
    public const string AdminClientId = "admin-cli";
    public const string AdminClientSecret = "admin-cli-secret-change-me";

    private readonly string _directory = Directory.CreateTempSubdirectory("authservice-demo-").FullName;
    private TestDatabase? _database;

    public ServerProcess Process { get; private set; } = null!;

    /// <summary><c>http://HOST:PORT</c>: where the server listens, and its issuer unless <see cref="Settings"/> names another.</summary>
    public string Address { get; private set; } = null!;

    /// <summary>The host of <see cref="Address"/>: <c>localhost</c>, as in the guides.</summary>
    protected virtual string Host => "localhost";

    /// <summary>Settings besides the seed, as environment variables (<c>Auth__...</c>).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    public virtual async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var seed = Path.Combine(Repository.Root, "src", "WebApi", "demo-seed.json");
        (Process, Address) = await LoopbackServer.StartAsync(_database.ConnectionString, seed, _directory, Settings, host: Host);
    }

    public virtual Task DisposeAsync() => LoopbackServer.StopAsync(Process, _database, _directory);
}
