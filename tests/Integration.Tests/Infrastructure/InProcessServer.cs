using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// One in-process server on a database the test owns, for tests that control the start itself
/// (several servers on one database, starts that must fail). Owns its temp folder, not the database.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public InProcessServer(
        TestDatabase database,
        string seedJson,
        string? keyEncryptionKey = null,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? testServices = null)
    {
        SeedFile = _directory.WriteFile("seed.json", seedJson);
        var dataDirectory = Directory.CreateDirectory(_directory.Combine("data")).FullName;
        Factory = new AuthServerFactory(ServerSettings.For(database.ConnectionString, SeedFile, dataDirectory, keyEncryptionKey, overrides), testServices);
    }

    public AuthServerFactory Factory { get; }

    public string SeedFile { get; }

    /// <summary>Starts the server (migrations, keys, seed) and returns a client for it.</summary>
    public HttpClient Start() => Factory.CreateClient(new() { AllowAutoRedirect = false });

    /// <summary>
    /// Starts the server with the same settings as a real process (<c>dotnet AuthService.WebApi.dll</c>),
    /// which must exit with a failure; returns everything it printed. A real process rather than the
    /// in-memory host: when a start fails within milliseconds, WebApplicationFactory races the host's own
    /// disposal (an ObjectDisposedException instead of the cause, and a dispose that can hang the run).
    /// The process also shows what an operator sees.
    /// </summary>
    public async Task<string> StartExpectingFailureAsync()
    {
        var environment = Factory.Settings
            .Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!);
        var (exitCode, output) = await ServerProcess.RunAsync(
            ["--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}"], environment, TimeSpan.FromSeconds(90));
        Assert.True(exitCode != 0, $"The server started (or exited with 0), but it was expected to refuse to. Output:\n{output}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Factory.DisposeAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or AggregateException or OperationCanceledException)
        {
            // A server whose start failed may not stop cleanly; the test has already asserted what matters.
        }

        _directory.Dispose();
    }
}
