using AuthService.Application.Seeding.Commands.ApplySeed;
using AuthService.Infrastructure.Seeding;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

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

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _directory = new TempDirectory();
        _directory.WriteFile("seed.json", TestClients.SeedJson());
        var dataDirectory = Directory.CreateDirectory(_directory.Combine("data")).FullName;
        _factory = new AuthServerFactory(ServerSettings.For(_database.ConnectionString, SeedFile, dataDirectory, overrides: Overrides));
        Client = _factory.CreateClient(new() { AllowAutoRedirect = false });
    }

    /// <summary>
    /// Puts the clients back as the seed file declares them: for a test that changed clients, so the
    /// next test does not depend on the order. Goes through the same command the start-up uses.
    /// </summary>
    public async Task ResetClientsAsync()
    {
        await Database.ScalarAsync<int>("TRUNCATE clients, client_secrets RESTART IDENTITY CASCADE; SELECT 0");
        await using var scope = Factory.Services.CreateAsyncScope();
        var document = await SeedFileReader.ReadAsync(SeedFile, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ApplySeed(document));
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
