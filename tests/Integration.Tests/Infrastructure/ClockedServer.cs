using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// An in-process server whose <see cref="TimeProvider"/> is a <see cref="FakeTimeProvider"/> the test
/// advances, with its Hangfire job server stopped so that nothing happens unless the test sends the job's
/// command itself (<see cref="ServerCommands.SendAsync"/>). Owns its server, not the database.
/// </summary>
public sealed class ClockedServer : IAsyncDisposable
{
    private ClockedServer(InProcessServer server, FakeTimeProvider clock, HttpClient client)
    {
        Server = server;
        Clock = clock;
        Client = client;
    }

    public InProcessServer Server { get; }

    public AuthServerFactory Factory => Server.Factory;

    public FakeTimeProvider Clock { get; }

    public HttpClient Client { get; }

    public static async Task<ClockedServer> StartAsync(
        TestDatabase database,
        IReadOnlyDictionary<string, string?>? overrides = null,
        FakeTimeProvider? clock = null,
        string? seedJson = null)
    {
        clock ??= TestClock.StartingNow();
        var server = new InProcessServer(
            database, seedJson ?? TestClients.SeedJson(), overrides: overrides, testServices: s => s.AddSingleton<TimeProvider>(clock));
        try
        {
            var client = server.Start();
            await Scheduling.PauseAsync(server.Factory);
            return new ClockedServer(server, clock, client);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
