using System.Data.Common;

namespace AuthService.Infrastructure.Persistence;

/// <summary>
/// Connection settings the write paths were measured with (docs/adr/0040), added to the operator's connection string
/// only where it does not name them itself, so an explicit value always wins.
/// </summary>
internal static class PostgresConnectionTuning
{
    /// <summary>
    /// <c>No Reset On Close=true</c>: Npgsql otherwise sends <c>DISCARD ALL</c> each time EF Core returns a connection to the
    /// pool, which it does after every query outside a transaction (three times per refresh, five per authorization). The
    /// server keeps no session state on a pooled connection: no <c>SET</c>, temporary table or session advisory lock (the
    /// start-up lock is transaction-scoped, on a connection of its own), and Npgsql rolls back a transaction left open on a
    /// connection returned to the pool either way.
    /// </summary>
    public static string Apply(string connectionString)
    {
        // The general builder keeps every other keyword as the operator wrote it (Npgsql's would rewrite them all).
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!builder.Keys.Cast<string>().Any(key => Normalized(key) == "noresetonclose"))
        {
            builder["No Reset On Close"] = "true";
        }

        return builder.ConnectionString;
    }

    private static string Normalized(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
