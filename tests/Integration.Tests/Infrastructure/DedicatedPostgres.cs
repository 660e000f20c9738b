using System.Diagnostics;
using Npgsql;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of a test's own, for faults that the shared cluster of scripts/test.sh must not
/// suffer (stopping and restarting the server itself). Started with scripts/lib/postgres.sh, the same
/// code as the shared one (temp dir, trust auth, 127.0.0.1 only; commands run as the "postgres" OS user
/// when the tests run as root). Disposing stops it and deletes its directory, whatever state it is in.
/// </summary>
public sealed class DedicatedPostgres : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private DedicatedPostgres(int port, string directory, string binDirectory)
    {
        Port = port;
        DirectoryPath = directory;
        BinDirectory = binDirectory;
    }

    public int Port { get; }

    /// <summary>The cluster's temp dir: <c>data/</c>, <c>postgres.log</c> and the unix socket.</summary>
    public string DirectoryPath { get; }

    public string BinDirectory { get; }

    /// <summary>The server log (useful in failure messages).</summary>
    public string Log => File.Exists(Path.Combine(DirectoryPath, "postgres.log")) ? ReadShared(Path.Combine(DirectoryPath, "postgres.log")) : "";

    /// <summary>Admin connection, not pooled (the server goes away and comes back during a test).</summary>
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    private static string Script => Path.Combine(RepositoryRoot, "scripts", "lib", "postgres.sh");

    private static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AuthService.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException($"No AuthService.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>
    /// Runs <c>pg_start_throwaway</c>. Its ports start at a random offset above the shared cluster's range,
    /// so two tests starting clusters at once rarely probe the same port (the script retries if they do).
    /// </summary>
    public static async Task<DedicatedPostgres> StartAsync()
    {
        var firstPort = 56_000 + Random.Shared.Next(0, 2_000);
        var (exitCode, stdout, stderr) = await BashAsync(
            """source "$1"; PG_PORT_FIRST="$2" pg_start_throwaway >&2 || exit 1; echo "$PG_PORT|$PG_DIR|$PG_BINDIR" """,
            Script, firstPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        var parts = line.Split('|');
        if (exitCode != 0 || parts.Length != 3 || !int.TryParse(parts[0], out var port))
        {
            // Whatever half-started, stop it: the directory is in the output if it got that far.
            if (parts.Length == 3 && parts[1].StartsWith("/tmp/authservice-pg.", StringComparison.Ordinal))
            {
                await new DedicatedPostgres(0, parts[1], parts[2]).DisposeAsync();
            }

            throw new Xunit.Sdk.XunitException($"Could not start a dedicated PostgreSQL cluster (exit {exitCode}).\nstdout: {stdout}\nstderr: {stderr}");
        }

        return new DedicatedPostgres(port, parts[1], parts[2]);
    }

    /// <summary>Creates a database and returns the connection string a server would use (pooled, as in production).</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    /// <summary><c>pg_ctl stop -m fast</c>: the server disconnects every client and shuts down cleanly.</summary>
    public Task StopAsync() => PgCtlAsync("-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");

    /// <summary>Starts the stopped cluster again, on the same port with the same options as scripts/lib/postgres.sh.</summary>
    public Task StartAgainAsync() => PgCtlAsync(
        "-D", DataDirectory, "-l", Path.Combine(DirectoryPath, "postgres.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {DirectoryPath} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
        "start");

    /// <summary><c>pg_stop_throwaway</c>: immediate stop (or SIGKILL of the postmaster), then the directory is deleted.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await BashAsync("""source "$1"; PG_DIR="$2"; PG_BINDIR="$3"; pg_stop_throwaway""", Script, DirectoryPath, BinDirectory);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Cleanup only; the test's own outcome must stand.
        }
    }

    private string DataDirectory => Path.Combine(DirectoryPath, "data");

    /// <summary>pg_ctl as the cluster's owner (the script's <c>_pg_run</c>: the "postgres" user when root).</summary>
    private async Task PgCtlAsync(params string[] args)
    {
        var (exitCode, stdout, stderr) = await BashAsync(
            """source "$1"; PG_DIR="$2"; PG_BINDIR="$3"; shift 3; _pg_run "$PG_BINDIR/pg_ctl" "$@" """,
            [Script, DirectoryPath, BinDirectory, .. args]);
        Assert.True(exitCode == 0, $"pg_ctl {string.Join(' ', args)} exited {exitCode}.\nstdout: {stdout}\nstderr: {stderr}\nserver log:\n{Log}");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> BashAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("bash");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
