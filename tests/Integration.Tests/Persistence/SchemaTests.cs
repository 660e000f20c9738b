using AuthService.Integration.Tests.Infrastructure;
using Npgsql;

namespace AuthService.Integration.Tests.Persistence;

/// <summary>
/// The store-level guards the domain relies on exist in the migrated PostgreSQL schema. (EF identifies
/// an unnamed index by its columns: a second index on the same column once silently replaced the first.)
/// </summary>
public sealed class SchemaTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Theory]
    [InlineData("ux_signing_keys_one_active_per_algorithm", "(state = 1)")]
    [InlineData("ux_signing_keys_one_pending_per_algorithm", "(state = 0)")]
    public async Task Signing_keys_have_a_partial_unique_index_per_state(string name, string predicate)
    {
        var definition = await server.Database.ScalarAsync<string>("SELECT indexdef FROM pg_indexes WHERE indexname = @name", ("name", name));

        Assert.Contains("CREATE UNIQUE INDEX", definition, StringComparison.Ordinal);
        Assert.Contains("(algorithm)", definition, StringComparison.Ordinal);
        Assert.Contains(predicate, definition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_pending_key_for_an_algorithm_is_refused_by_the_database()
    {
        const string insert = """
            INSERT INTO signing_keys (key_id, algorithm, state, public_jwk, protected_private_key, key_encryption_key_id,
                                      created_at, activates_at, version)
            VALUES (@kid, 'ES256', 0, '{}', '\x01', 'kek', now(), now() + interval '1 day', 0)
            """;
        await using var connection = new NpgsqlConnection(server.Database.ConnectionString);
        await connection.OpenAsync();
        await using (var first = new NpgsqlCommand(insert, connection))
        {
            first.Parameters.AddWithValue("kid", "schema-test-pending-1");
            await first.ExecuteNonQueryAsync();
        }

        try
        {
            await using var second = new NpgsqlCommand(insert, connection);
            second.Parameters.AddWithValue("kid", "schema-test-pending-2");
            var error = await Assert.ThrowsAsync<PostgresException>(() => second.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        }
        finally
        {
            await using var cleanup = new NpgsqlCommand("DELETE FROM signing_keys WHERE key_id LIKE 'schema-test-%'", connection);
            await cleanup.ExecuteNonQueryAsync();
        }
    }
}
