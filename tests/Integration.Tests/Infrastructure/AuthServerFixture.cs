namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// One server per test class: its own database, seed file and data directory, the standard fixture
/// clients, and an <see cref="HttpClient"/> for it. Dropped and deleted when the class is done.
/// </summary>
public class AuthServerFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private TempDirectory? _directory;
    private AuthServerFactory? _factory;

    public TestDatabase Database => _database ?? throw NotStarted();

    public AuthServerFactory Factory => _factory ?? throw NotStarted();

    public string SeedFile => _directory?.Combine("seed.json") ?? throw NotStarted();

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Settings a derived fixture changes (e.g. the failure limit of the throttling tests).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>();

    /// <summary>Services a derived fixture adds after Program's (e.g. an in-memory trace exporter); null for none.</summary>
    protected virtual Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? TestServices => null;

    /// <summary>The seed file's contents: the standard clients, unless a derived fixture adds clients or users.</summary>
    protected virtual string SeedJson => TestClients.SeedJson();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _directory = new TempDirectory();
        _directory.WriteFile("seed.json", SeedJson);
        var dataDirectory = Directory.CreateDirectory(_directory.Combine("data")).FullName;
        _factory = new AuthServerFactory(ServerSettings.For(_database.ConnectionString, SeedFile, dataDirectory, overrides: Overrides), TestServices);
        Client = _factory.CreateClient(new() { AllowAutoRedirect = false });
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _directory?.Dispose();
    }

    private static InvalidOperationException NotStarted() => new("The fixture has not been initialised.");
}
