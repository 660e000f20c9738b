using AuthService.Infrastructure.Caching;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthService.Integration.Tests.Revocation;

/// <summary>
/// The denylist in memory (docs/adr/0040): each replica answers "revoked?" from its copy only while the copy is provably
/// current. On PostgreSQL a revocation committed by any writer reaches the copy through the trigger's notification, and a
/// lost listening connection is replaced and the table reloaded; on SQLite the copy is loaded at start.
/// </summary>
public sealed class DenylistInMemoryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_revocation_committed_by_another_writer_reaches_introspection_through_its_notification()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson());
        using var client = server.Start();
        var denylist = await CurrentDenylistAsync(server);
        var token = await client.C1TokenAsync();
        await BackChannel.ActiveAsync(await client.IntrospectAsync(token, BackChannel.C1Basic));

        // Another replica's revocation, as PostgreSQL sees it: a committed row, nothing said to this process.
        await InsertDenialAsync(database, AccessTokens.Read(token).Id);
        await Poll.UntilAsync(() => IsInactiveAsync(client, token, BackChannel.C1Basic), inactive => inactive, Deadline, "the notified revocation to be honoured");
        Assert.True(denylist.TryAnswer(AccessTokens.Read(token).Id, null, out var revoked) && revoked, "The copy did not answer from memory.");
        Assert.Equal(1, denylist.Loads);
    }

    [Fact]
    public async Task A_lost_listening_connection_is_replaced_and_what_was_committed_meanwhile_is_loaded()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson());
        using var client = server.Start();
        var denylist = await CurrentDenylistAsync(server);
        var token = await client.C1TokenAsync();
        var loads = denylist.Loads;

        // The listener's backend is ended; a revocation committed right after it has no listener to notify.
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name",
            ("name", RevocationListener.ApplicationName)));
        await InsertDenialAsync(database, AccessTokens.Read(token).Id);

        // A new connection listens and reloads; the revocation is in the copy, and introspection says so.
        await Poll.UntilAsync(() => Task.FromResult(denylist.Loads), n => n > loads && denylist.IsCurrent, Deadline, "the denylist to be listened to and loaded again");
        Assert.True(denylist.TryAnswer(AccessTokens.Read(token).Id, null, out var revoked) && revoked, "The reload missed the revocation.");
        await BackChannel.InactiveAsync(await client.IntrospectAsync(token, BackChannel.C1Basic), "after the reload");
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name",
            ("name", RevocationListener.ApplicationName)));
    }

    [Fact]
    public async Task A_person_disabled_by_another_writer_has_their_token_inactive_after_the_notification_and_active_once_enabled_again()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, SignInClients.SeedJson());
        using var client = server.Start();
        await CurrentDenylistAsync(server);
        var accounts = server.Factory.Services.GetRequiredService<AccountStates>();
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, client, "openid");
        var caller = Protocol.Basic(SignInClients.CW, SignInClients.CWSecret);
        await BackChannel.ActiveAsync(await client.IntrospectAsync(tokens.AccessToken, caller));
        var alice = Guid.Parse(AccessTokens.Read(tokens.AccessToken).Subject);
        Assert.True(accounts.TryGet(alice, out var enabled) && enabled, "The account's state was not remembered.");

        // Another replica (or an operator's SQL) disables her: the trigger's notification makes this replica forget her state.
        await SetDisabledAsync(database, alice, true);
        await Poll.UntilAsync(() => IsInactiveAsync(client, tokens.AccessToken, caller), inactive => inactive, Deadline, "the disabled account's token to read inactive");
        await SetDisabledAsync(database, alice, false);
        await Poll.UntilAsync(() => IsInactiveAsync(client, tokens.AccessToken, caller), inactive => !inactive, Deadline, "the enabled account's token to read active");
    }

    [Fact]
    public async Task Turned_off_the_database_answers_every_time()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson(), overrides: new Dictionary<string, string?> { ["Auth:DenylistInMemory"] = "false" });
        using var client = server.Start();
        var token = await client.C1TokenAsync();
        await InsertDenialAsync(database, AccessTokens.Read(token).Id);

        await BackChannel.InactiveAsync(await client.IntrospectAsync(token, BackChannel.C1Basic), "with the copy turned off");
        Assert.False(server.Factory.Services.GetRequiredService<AccessTokenDenylist>().IsCurrent);
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name",
            ("name", RevocationListener.ApplicationName)));
    }

    [Fact]
    public async Task On_the_embedded_database_the_copy_is_loaded_at_start_and_follows_this_process_revocations()
    {
        using var directory = new TempDirectory();
        var settings = ServerSettings.For(
            connectionString: "",
            seedFile: directory.WriteFile("seed.json", TestClients.SeedJson()),
            dataDirectory: Directory.CreateDirectory(directory.Combine("data")).FullName);
        string revoked;
        string kept;
        await using (var first = new AuthServerFactory(settings))
        {
            using var client = first.CreateClient();
            revoked = await client.C1TokenAsync();
            kept = await client.C1TokenAsync();
            await Poll.UntilAsync(() => Task.FromResult(first.Services.GetRequiredService<AccessTokenDenylist>().IsCurrent), c => c, Deadline, "the copy to be loaded");
            await BackChannel.RevokedAsync(await client.RevokeAsync(revoked, BackChannel.C1Basic));
            await BackChannel.InactiveAsync(await client.IntrospectAsync(revoked, BackChannel.C1Basic), "right after the revocation");
        }

        await using var second = new AuthServerFactory(settings);
        using var restarted = second.CreateClient();
        var denylist = second.Services.GetRequiredService<AccessTokenDenylist>();
        await Poll.UntilAsync(() => Task.FromResult(denylist.IsCurrent), c => c, Deadline, "the copy to be loaded after the restart");
        Assert.True(denylist.TryAnswer(AccessTokens.Read(revoked).Id, null, out var denied) && denied, "The load at start missed the revocation.");
        await BackChannel.InactiveAsync(await restarted.IntrospectAsync(revoked, BackChannel.C1Basic), "after the restart");
        await BackChannel.ActiveAsync(await restarted.IntrospectAsync(kept, BackChannel.C1Basic));
    }

    [Fact]
    public void The_copy_answers_only_while_loaded_current_and_within_bounds()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var denylist = new AccessTokenDenylist(clock, maxEntries: 3);
        denylist.Remember("jti-1", clock.GetUtcNow().AddMinutes(5));
        Assert.False(denylist.TryAnswer("jti-1", null, out _), "Answered before a load completed.");

        denylist.BeginLoad();
        denylist.Remember("family:fam-1", clock.GetUtcNow().AddMinutes(5));
        denylist.CompleteLoad();
        Assert.True(denylist.TryAnswer("jti-1", null, out var revoked) && revoked);
        Assert.True(denylist.TryAnswer("jti-2", "fam-1", out revoked) && revoked, "A token of a denied family reads as not revoked.");
        Assert.True(denylist.TryAnswer("jti-2", "fam-2", out revoked) && !revoked);
        Assert.True(denylist.TryAnswer("family:fam-1", null, out revoked) && !revoked, "A jti never matches a family's entry id.");

        denylist.MarkStale();
        Assert.False(denylist.TryAnswer("jti-1", null, out _), "Answered while stale.");
        denylist.BeginLoad();
        denylist.CompleteLoad();

        // Full: an entry it cannot hold makes it stop answering, until a load fits again.
        denylist.Remember("jti-3", clock.GetUtcNow().AddMinutes(1));
        denylist.Remember("jti-4", clock.GetUtcNow().AddMinutes(5));
        Assert.True(denylist.Overflowed);
        Assert.False(denylist.TryAnswer("jti-4", null, out _), "Answered after dropping an entry.");

        // Expired entries go (after a minute's grace), and a reload with room answers again.
        clock.Advance(TimeSpan.FromMinutes(2).Add(TimeSpan.FromSeconds(1)));
        Assert.Equal(1, denylist.Purge());
        denylist.BeginLoad();
        denylist.Remember("jti-4", clock.GetUtcNow().AddMinutes(3));
        denylist.CompleteLoad();
        Assert.True(denylist.TryAnswer("jti-4", null, out revoked) && revoked);
    }

    private static async Task<AccessTokenDenylist> CurrentDenylistAsync(InProcessServer server)
    {
        var denylist = server.Factory.Services.GetRequiredService<AccessTokenDenylist>();
        await Poll.UntilAsync(() => Task.FromResult(denylist.IsCurrent), current => current, Deadline, "the denylist copy to be loaded");
        return denylist;
    }

    private static Task InsertDenialAsync(TestDatabase database, string jwtId) =>
        database.ScalarAsync<int>(
            "INSERT INTO revoked_access_tokens (jti, client_id, expires_at, revoked_at, version) VALUES (@jti, @client, now() + interval '1 hour', now(), 0) RETURNING 1",
            ("jti", jwtId), ("client", TestClients.C1));

    private static Task SetDisabledAsync(TestDatabase database, Guid userId, bool disabled) =>
        database.ScalarAsync<int>("WITH u AS (UPDATE users SET disabled = @disabled WHERE id = @id RETURNING 1) SELECT count(*)::int FROM u",
            ("disabled", disabled), ("id", userId));

    private static async Task<bool> IsInactiveAsync(HttpClient client, string token, System.Net.Http.Headers.AuthenticationHeaderValue caller)
    {
        using var response = await client.IntrospectAsync(token, caller);
        return (await response.Content.ReadAsStringAsync()).Contains("\"active\":false", StringComparison.Ordinal);
    }
}
