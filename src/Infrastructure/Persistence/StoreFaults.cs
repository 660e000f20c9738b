using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace AuthService.Infrastructure.Persistence;

/// <summary>
/// docs/adr/0041: tells an outage (the database cannot be reached, refuses connections, is shutting down, or does not
/// answer in time) from a database error that is a bug, and says what happened in one line that an operator can act on.
/// </summary>
public static class StoreFaults
{
    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) says the database is unreachable rather than that a
    /// statement failed: a socket or timeout failure, Npgsql's own connection errors (<see cref="NpgsqlException"/> that
    /// is no server error), or a server error of SQLSTATE class 08 (connection exception), 28 (the server refuses the
    /// configured credentials), 3D000 (the configured database does not exist), 53 (insufficient resources, e.g. too
    /// many connections) or 57P (the server is shutting down or starting) (PostgreSQL, Appendix A): the operator's
    /// matter, not a bug of a statement.
    /// </summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            switch (exception)
            {
                case PostgresException server:
                    return server.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || server.SqlState.StartsWith("28", StringComparison.Ordinal)
                        || server.SqlState == PostgresErrorCodes.InvalidCatalogName
                        || server.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || server.SqlState.StartsWith("57P", StringComparison.Ordinal);
                case NpgsqlException or SocketException or TimeoutException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The chain of exception types and messages from the first database-related one down, e.g.
    /// <c>NpgsqlException: Failed to connect to 127.0.0.1:5432 &lt;- SocketException: Connection refused</c>. Npgsql
    /// messages name the host and port at most, never the connection string (its password is not kept on the
    /// exception); a server error's detail, which may quote row values, is left out of its message unless the
    /// connection string asks for it (<c>Include Error Detail</c>), which this server's documentation never does.
    /// </summary>
    public static string Describe(Exception exception)
    {
        var start = exception;
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is DbException or SocketException or TimeoutException)
            {
                start = inner;
                break;
            }
        }

        var parts = new List<string>();
        for (var current = start; current is not null && parts.Count < 4; current = current.InnerException)
        {
            var message = current.Message.ReplaceLineEndings(" ");
            parts.Add($"{current.GetType().Name}: {(message.Length > 200 ? message[..200] + "..." : message)}");
        }

        return string.Join(" <- ", parts);
    }
}
