using System.Net.Sockets;
using AuthService.Infrastructure.Persistence;
using Npgsql;

namespace AuthService.Integration.Tests.Persistence;

/// <summary>
/// docs/adr/0041: which database failures are an outage (logged once, as "the database is unavailable", without a stack
/// trace) and which are a failed statement (logged with the stack trace that finds the bug), and what the one-line cause says.
/// </summary>
public sealed class StoreFaultsTests
{
    [Fact]
    public void A_refused_connection_is_an_outage_and_its_cause_names_the_socket_error()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
        var wrapped = new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", refused);

        Assert.True(StoreFaults.IsUnavailable(wrapped));
        var cause = StoreFaults.Describe(wrapped);
        Assert.StartsWith("NpgsqlException: Failed to connect to 127.0.0.1:5432 <- SocketException: ", cause, StringComparison.Ordinal);
        Assert.DoesNotContain("transient", cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("08006")] // connection_failure
    [InlineData("28P01")] // invalid_password: the configured credentials are refused
    [InlineData("3D000")] // invalid_catalog_name: the configured database is gone
    [InlineData("53300")] // too_many_connections
    [InlineData("57P01")] // admin_shutdown
    [InlineData("57P03")] // cannot_connect_now (starting up)
    public void Server_errors_of_connection_credentials_resources_and_shutdown_are_an_outage(string sqlState) =>
        Assert.True(StoreFaults.IsUnavailable(new PostgresException("message", "FATAL", "FATAL", sqlState)));

    [Theory]
    [InlineData("23505")] // unique_violation: a race the unit of work handles, or a bug
    [InlineData("23503")] // foreign_key_violation
    [InlineData("40001")] // serialization_failure
    [InlineData("42P01")] // undefined_table: a missing migration is a bug, not an outage
    public void Statement_errors_are_not_an_outage(string sqlState) =>
        Assert.False(StoreFaults.IsUnavailable(new Microsoft.EntityFrameworkCore.DbUpdateException("save failed", new PostgresException("message", "ERROR", "ERROR", sqlState))));

    [Fact]
    public void An_exception_without_a_database_cause_is_not_an_outage() =>
        Assert.False(StoreFaults.IsUnavailable(new InvalidOperationException("bug", new ArgumentException("inner"))));

    [Fact]
    public void The_cause_keeps_types_and_messages_only_and_stays_short()
    {
        var server = new PostgresException("password authentication failed for user \"postgres\"", "FATAL", "FATAL", "28P01");
        var cause = StoreFaults.Describe(new NpgsqlException("Exception while connecting", server));

        Assert.Equal("NpgsqlException: Exception while connecting <- PostgresException: 28P01: password authentication failed for user \"postgres\"", cause);
        Assert.DoesNotContain("   at ", cause, StringComparison.Ordinal);
        var longMessage = StoreFaults.Describe(new TimeoutException(new string('x', 1_000)));
        Assert.True(longMessage.Length < 250, longMessage);
    }
}
