using Npgsql;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// A uniquely named PostgreSQL database on the server named by <c>AUTHSERVICE_TEST_PG</c>, dropped on
/// dispose. There is no fallback: without that variable every test that needs a database fails, so a
/// run can never silently test another store (STYLE.md "Comments and tests").
/// <para>
/// <see cref="CreateAsync"/> copies a template that the server's own <c>migrate</c> command migrated once per run
/// (<c>CREATE DATABASE ... TEMPLATE</c>): the schema only, no keys, clients or rows. Applying the migrations at every
/// server start cost more CPU than anything else a class does (each migration's target model is built), and the suite is
/// CPU-bound (docs/benchmarks.md "The test suite's time"). <see cref="CreateEmptyAsync"/> is for the tests of the start
/// itself on an empty database (migrations racing between replicas, the <c>migrate</c> command).
/// </para>
/// <para>
/// A new database per class rather than one reset with Respawn between classes: creating one costs tens of milliseconds,
/// needs no pool, survives the tests that drop it, and leaves nothing behind when the run is killed.
/// </para>
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string AdminVariable = "AUTHSERVICE_TEST_PG";

    private TestDatabase(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The connection string the server under test uses (same server and user as the admin one).</summary>
    public string ConnectionString { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(AdminVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{AdminVariable} is not set. The integration tests need a PostgreSQL admin connection string: " +
                "run them with `bash scripts/test.sh`, which starts a throwaway cluster, or export " +
                $"{AdminVariable}=\"Host=127.0.0.1;Port=...;Username=postgres;Database=postgres\".");

    /// <summary>A new database with the server's schema (migrations applied), and nothing in it.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var template = await MigratedTemplate.Value;
        var database = NewDatabase();
        await AdminExecuteAsync($"CREATE DATABASE \"{database.Name}\" TEMPLATE \"{template}\"");
        return database;
    }

    /// <summary>A new, empty database: the server's first start migrates it.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync()
    {
        var database = NewDatabase();
        await AdminExecuteAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    private static TestDatabase NewDatabase() => new("authservice_it_" + Guid.NewGuid().ToString("N"));

    private static readonly Lazy<Task<string>> MigratedTemplate = new(CreateMigratedTemplateAsync);

    /// <summary>
    /// Migrates a new database with <c>dotnet AuthService.WebApi.dll migrate</c> (what an operator runs) and keeps it as
    /// the template of every <see cref="CreateAsync"/>; dropped when the test process exits. Nothing else connects to it,
    /// as <c>CREATE DATABASE ... TEMPLATE</c> requires.
    /// </summary>
    private static async Task<string> CreateMigratedTemplateAsync()
    {
        var template = await CreateEmptyAsync();
        var (exitCode, output) = await ServerProcess.RunAsync(
            ["migrate"],
            new Dictionary<string, string>
            {
                ["ConnectionStrings__AuthDb"] = new NpgsqlConnectionStringBuilder(template.ConnectionString) { Pooling = false }.ConnectionString,
                ["Auth__KeyEncryptionKey"] = TestClients.KeyEncryptionKey,
            },
            TimeSpan.FromMinutes(3));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`migrate` of the template database exited with {exitCode}:\n{output}");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => template.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return template.Name;
    }

    /// <summary>Drops the database now, terminating every connection to it (the "database is gone" fault).</summary>
    public Task DropAsync() => AdminExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    public async Task<List<object[]>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<object[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>"ALG:count" of the active signing keys, per algorithm in order (exactly one each is the invariant).</summary>
    /// <summary>"algorithm:count" per algorithm with an active key, in ordinal order (not the database's collation, which may fold case).</summary>
    public async Task<List<string>> ActiveKeysPerAlgorithmAsync() =>
        [.. (await QueryAsync("SELECT algorithm, count(*) FROM signing_keys WHERE state = 1 GROUP BY algorithm"))
            .Select(r => $"{r[0]}:{r[1]}").Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DropAsync();
        }
        catch (NpgsqlException)
        {
            // Cleanup only: a leftover database in a throwaway cluster must not hide the test's own outcome.
        }
    }

    private static async Task AdminExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
