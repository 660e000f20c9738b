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
    /// <para>
    /// <c>Max Auto Prepare=64</c>, <c>Auto Prepare Min Usages=2</c>: a statement sent a second time on a connection is prepared
    /// on the server and later only bound and executed (no parse or plan per query). EF Core sends the same few statements on
    /// every refresh, redemption and authorization, always with explicit column lists, so a newer replica's added column does
    /// not change their result type; a changed column type fails the prepared statement once per connection and Npgsql then
    /// prepares it again. Behind PgBouncer in transaction mode a prepared statement needs PgBouncer 1.21 or later with
    /// <c>max_prepared_statements</c> set; otherwise the operator writes <c>Max Auto Prepare=0</c> (docs/adr/0040).
    /// </para>
    /// </summary>
    public static string Apply(string connectionString)
    {
        // The general builder keeps every other keyword as the operator wrote it (Npgsql's would rewrite them all).
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var named = builder.Keys.Cast<string>().Select(Normalized).ToHashSet(StringComparer.Ordinal);
        foreach (var (keyword, value) in Defaults)
        {
            if (!named.Contains(Normalized(keyword)))
            {
                builder[keyword] = value;
            }
        }

        return builder.ConnectionString;
    }

    private static readonly (string Keyword, string Value)[] Defaults =
    [
        ("No Reset On Close", "true"),
        ("Max Auto Prepare", "64"),
        ("Auto Prepare Min Usages", "2"),
    ];

    private static string Normalized(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
