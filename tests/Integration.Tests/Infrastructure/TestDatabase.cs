using Npgsql;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// A uniquely named PostgreSQL database on the server named by <c>AUTHSERVICE_TEST_PG</c>, dropped on
/// dispose. There is no fallback: without that variable every test that needs a database fails, so a
/// run can never silently test another store (STYLE.md "Comments and tests").
/// <para>
/// A new database rather than a shared one reset with Respawn between classes: measured on 429 tests of 26
/// classes, reusing migrated databases was no faster (creating one costs tens of milliseconds; a class's time
/// goes into starting its server: host, signing keys, seed), and a new database needs no pool, survives the
/// tests that drop it, and leaves nothing behind when the run is killed.
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

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase("authservice_it_" + Guid.NewGuid().ToString("N"));
        await AdminExecuteAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
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
