using System.Text.Json.Nodes;
using AuthService.Application.Jobs.Commands;
using AuthService.Application.Registration.Commands.PurgeInactiveClients;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Registration;

/// <summary>
/// The clean-up job deletes dynamic clients that obtained no token for <c>Auth:Registration:InactiveClientLifetimeDays</c>;
/// a token counts as use (recorded at most daily), static clients are never purged. Driven with the fake clock.
/// </summary>
public sealed class InactiveClientPurgeTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Auth:Registration:Policy"] = "open",
        ["Auth:Registration:AllowedGrantTypes:0"] = "client_credentials",
        ["Auth:Registration:AllowedScopes"] = "api.read",
        ["Auth:Registration:InactiveClientLifetimeDays"] = "30",
        ["Auth:Registration:PermitsPerMinutePerAddress"] = "10000",
    };

    [Fact]
    public async Task Dynamic_clients_unused_for_the_lifetime_are_deleted_used_and_static_ones_stay()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, Settings);
        var (client, clock) = (server.Client, server.Clock);
        var t0 = clock.GetUtcNow();
        var used = await client.RegisteredAsync(Service());
        var idle = await client.RegisteredAsync(Service());
        var usedId = used.GetProperty("client_id").GetString()!;
        var idleId = idle.GetProperty("client_id").GetString()!;
        var staticClients = await CountAsync(database, 0);

        // Day 20: the used client obtains a token (recorded once, however many it gets that day).
        clock.SetUtcNow(t0 + TimeSpan.FromDays(20));
        for (var i = 0; i < 3; i++)
        {
            await OAuthAssert.TokenSuccessAsync(await client.PostTokenAsync(
                Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(usedId, used.GetProperty("client_secret").GetString()!)));
        }

        // Day 30 minus a second: nothing is old enough. Through the job's own command.
        clock.SetUtcNow(t0 + TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        await server.Factory.SendAsync(new RunCleanUp());
        Assert.Equal(2L, await CountAsync(database, 1));

        // Day 30 and a second: the idle one goes, with its grants; the used one and every static client stay.
        clock.SetUtcNow(t0 + TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await server.Factory.SendAsync(new PurgeInactiveClients()));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from clients where client_id = @id", ("id", idleId)));
        Assert.Equal(1L, await database.ScalarAsync<long>("select count(*) from clients where client_id = @id", ("id", usedId)));
        Assert.Equal(staticClients, await CountAsync(database, 0));
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "select count(*) from audit_entries where event_type = 'client.deleted' and subject_id = @id", ("id", idleId)));

        // Day 50 and a second: thirty days after its last use the other one goes too.
        clock.SetUtcNow(t0 + TimeSpan.FromDays(50) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await server.Factory.SendAsync(new PurgeInactiveClients()));
        Assert.Equal(0L, await CountAsync(database, 1));
        Assert.Equal(staticClients, await CountAsync(database, 0));
    }

    [Fact]
    public async Task A_lifetime_of_zero_never_purges()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, new Dictionary<string, string?>(Settings) { ["Auth:Registration:InactiveClientLifetimeDays"] = "0" });
        await server.Client.RegisteredAsync(Service());

        server.Clock.SetUtcNow(server.Clock.GetUtcNow() + TimeSpan.FromDays(3650));
        Assert.Equal(0, await server.Factory.SendAsync(new PurgeInactiveClients()));
        Assert.Equal(1L, await CountAsync(database, 1));
    }

    private static JsonObject Service() => new()
    {
        ["client_name"] = "Agent backend",
        ["grant_types"] = new JsonArray("client_credentials"),
        ["token_endpoint_auth_method"] = "client_secret_basic",
        ["scope"] = "api.read",
    };

    private static Task<long> CountAsync(TestDatabase database, int source) =>
        database.ScalarAsync<long>("select count(*) from clients where registration_source = @source", ("source", source));
}
