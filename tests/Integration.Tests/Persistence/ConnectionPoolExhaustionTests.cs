using AuthService.Integration.Tests.Infrastructure;
using Npgsql;

namespace AuthService.Integration.Tests.Persistence;

/// <summary>
/// ASVS 15.2.2: with every database connection stuck behind slow queries, requests that need the database
/// fail fast and closed (503, never 200 or 500), requests that do not (token issuance) keep working,
/// and the server recovers by itself once the database answers again.
/// </summary>
public sealed class ConnectionPoolExhaustionTests
{
    [Fact]
    public async Task Stuck_connections_give_503_while_tokens_are_still_issued_and_the_server_recovers_without_a_restart()
    {
        await using var database = await TestDatabase.CreateAsync();

        // A small pool with short bounds: 2 s to get a connection, 3 s per command.
        var constrained = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 3, Timeout = 2, CommandTimeout = 3 }.ConnectionString;
        await using var server = new InProcessServer(database, TestClients.SeedJson(), overrides: new Dictionary<string, string?>
        {
            ["ConnectionStrings:AuthDb"] = constrained,
        });
        using var client = server.Start();
        var token = await client.C1TokenAsync();
        await BackChannel.ActiveAsync(await client.IntrospectAsync(token, BackChannel.C1Basic));

        await using (var blocker = new NpgsqlConnection(database.ConnectionString))
        {
            await blocker.OpenAsync();
            await using var transaction = await blocker.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE revoked_access_tokens IN ACCESS EXCLUSIVE MODE", blocker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            // A revocation must read and write the denylist: every request is stuck or waits for a connection.
            var stuck = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.RevokeAsync(token, BackChannel.C1Basic)));
            foreach (var response in stuck)
            {
                await BackChannel.UnavailableAsync(response, database.Name);
            }

            // Introspecting a client's token reads nothing from the database (the denylist is in memory, docs/adr/0040).
            await BackChannel.ActiveAsync(await client.IntrospectAsync(token, BackChannel.C1Basic));

            // Issuing a client-credentials token needs no database access, so it is unaffected.
            await OAuthAssert.TokenSuccessAsync(await client.PostC1Async());
            await transaction.RollbackAsync();
        }

        // The revocations answered 503 did not happen; done again now, it does.
        await BackChannel.ActiveAsync(await client.IntrospectAsync(token, BackChannel.C1Basic));
        await BackChannel.RevokedAsync(await client.RevokeAsync(token, BackChannel.C1Basic));
        await BackChannel.InactiveAsync(await client.IntrospectAsync(token, BackChannel.C1Basic), "after the revocation");
    }
}
