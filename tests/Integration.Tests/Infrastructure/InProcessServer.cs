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

    /// <summary>Starts the server, which must fail; returns what it failed with.</summary>
    public Exception StartExpectingFailure()
    {
        var exception = Record.Exception(() => Factory.CreateClient());
        Assert.True(exception is not null, "The server started, but it was expected to refuse to.");
        return exception;
    }

    /// <summary>Every exception in the chain, outermost first (the host may wrap the cause).</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
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
