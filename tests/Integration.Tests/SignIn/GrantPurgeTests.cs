using System.Net;
using AuthService.Application.SignIn.Commands.PurgeEndedGrants;
using AuthService.Domain.Common;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// The clean-up of ended grants (<see cref="PurgeEndedGrants"/>, run by the revocation-purge job;
/// ASVS 15.4.3): authorization codes an hour after they expired, refresh
/// token families (with their tokens) a day after they expired or were revoked, browser sessions a day
/// after they ended or expired; everything younger stays and keeps working, and nothing deleted comes
/// back to life. The server runs on a <see cref="FakeTimeProvider"/> with its jobs paused; the test
/// sends the command itself, as the job does.
/// </summary>
public sealed class GrantPurgeTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Codes_an_hour_past_expiry_and_revoked_families_and_ended_sessions_a_day_old_are_deleted_while_fresh_ones_stay()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, seedJson: SignInClients.SeedJson());
        var (client, clock) = (server.Client, server.Clock);
        var t0 = clock.GetUtcNow();
        var db = new GrantRows(database);

        // Alice's session: a live family (rotated once, so two token rows), a family the client revokes,
        // and a code never redeemed.
        var (alice, aliceJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = alice;
        var live = await EndSessionFlows.SignInAsync(alice, aliceJar, client, "openid offline_access");
        var liveRotated = (await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RefreshAsync(client, SignInClients.CW, SignInClients.CWSecret, live.RefreshToken!), codeFlow: true))
            .GetProperty("refresh_token").GetString()!;
        var revoked = await EndSessionFlows.SignInAsync(alice, aliceJar, client, "openid offline_access");
        await BackChannel.RevokedAsync(await client.RevokeAsync(revoked.RefreshToken!, Protocol.Basic(SignInClients.CW, SignInClients.CWSecret)));
        var unusedPkce = PkcePair.New();
        var unusedCode = await alice.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid", unusedPkce);

        // Bob's session, ended by logout: the session is ended and its family revoked.
        var (bob, bobJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var __ = bob;
        var bobTokens = await EndSessionFlows.SignInAsync(bob, bobJar, client, "openid offline_access",
            username: SignInClients.BobUsername, password: SignInClients.BobPassword);
        using (var logout = await bob.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", bobTokens.IdToken))))
        {
            Assert.Equal(HttpStatusCode.OK, logout.StatusCode);
        }

        var liveFamily = await db.FamilyOfAsync(live.RefreshToken!);
        var revokedFamily = await db.FamilyOfAsync(revoked.RefreshToken!);
        var bobFamily = await db.FamilyOfAsync(bobTokens.RefreshToken!);
        var aliceSession = Sid(live);
        var bobSession = Sid(bobTokens);
        Assert.Equal(aliceSession, Sid(revoked));
        Assert.Equal(4L, await db.CountAsync("authorization_codes"));
        Assert.Equal(3L, await db.CountAsync("refresh_token_families"));
        Assert.Equal(4L, await db.CountAsync("refresh_tokens"));
        Assert.Equal(2L, await db.CountAsync("user_sessions"));
        Assert.True(await db.CodeExistsAsync(unusedCode));

        // Nothing has been over long enough: nothing goes.
        Assert.Equal(0, await server.Factory.SendAsync(new PurgeEndedGrants()));

        // An hour after issuance a fresh code is made. A second before the old codes are an hour past
        // their expiry they all stay.
        clock.SetUtcNow(t0 + TimeSpan.FromHours(1));
        var freshPkce = PkcePair.New();
        var freshCode = await alice.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid", freshPkce);
        var codeExpiry = t0 + TimeSpan.FromMinutes(1);
        clock.SetUtcNow(codeExpiry + TimeSpan.FromHours(1) - Second);
        Assert.Equal(0, await server.Factory.SendAsync(new PurgeEndedGrants()));
        Assert.Equal(5L, await db.CountAsync("authorization_codes"));

        // A second after: the four old codes go (ASVS 15.4.3: while late redemptions of one of them run, and
        // are refused), the fresh one stays.
        clock.SetUtcNow(codeExpiry + TimeSpan.FromHours(1) + Second);
        var purge = server.Factory.SendAsync(new PurgeEndedGrants());
        var lateRedemptions = Enumerable.Range(0, 3)
            .Select(_ => CodeFlowTokens.RedeemAsync(client, SignInClients.CW, SignInClients.CWSecret, unusedCode, unusedPkce.Verifier, SignInClients.CWRedirect))
            .ToList();
        Assert.Equal(4, await purge);
        foreach (var late in await Task.WhenAll(lateRedemptions))
        {
            await OAuthAssert.TokenErrorAsync(late, HttpStatusCode.BadRequest, "invalid_grant");
        }

        Assert.Equal(1L, await db.CountAsync("authorization_codes"));
        Assert.True(await db.CodeExistsAsync(freshCode));
        Assert.False(await db.CodeExistsAsync(unusedCode));
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RedeemAsync(client, SignInClients.CW, SignInClients.CWSecret, unusedCode, unusedPkce.Verifier, SignInClients.CWRedirect),
            HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(3L, await db.CountAsync("refresh_token_families"));
        Assert.Equal(2L, await db.CountAsync("user_sessions"));

        // A second before the revocations and the logout are a day old: kept (only the fresh code, now
        // an hour past its own expiry, goes). A new sign-in starts a fresh session and family.
        clock.SetUtcNow(t0 + TimeSpan.FromDays(1) - Second);
        Assert.Equal(1, await server.Factory.SendAsync(new PurgeEndedGrants()));
        Assert.Equal(0L, await db.CountAsync("authorization_codes"));
        Assert.Equal(3L, await db.CountAsync("refresh_token_families"));
        Assert.Equal(2L, await db.CountAsync("user_sessions"));
        var (lateBrowser, lateJar) = EndSessionFlows.NewBrowser(server.Factory);
        using var ___ = lateBrowser;
        var fresh = await EndSessionFlows.SignInAsync(lateBrowser, lateJar, client, "openid offline_access");
        var freshFamily = await db.FamilyOfAsync(fresh.RefreshToken!);

        // A second after: the two revoked families (and their token rows) and the ended session go.
        // Alice's first session expired (12 h) less than a day ago and stays; the live and fresh families stay.
        clock.SetUtcNow(t0 + TimeSpan.FromDays(1) + Second);
        Assert.Equal(3, await server.Factory.SendAsync(new PurgeEndedGrants()));
        Assert.Equal(new[] { liveFamily, freshFamily }.Order().ToList(), await db.FamiliesAsync());
        Assert.Equal(3L, await db.CountAsync("refresh_tokens"));
        Assert.Equal(0L, await db.ScalarAsync("SELECT count(*) FROM refresh_tokens WHERE family_id = ANY(@ids)", ("ids", new[] { revokedFamily, bobFamily })));
        Assert.Equal(new[] { aliceSession, Sid(fresh) }.Order().ToList(), await db.SessionsAsync());
        Assert.DoesNotContain(bobSession, await db.SessionsAsync());

        // Nothing deleted comes back: the purged families' tokens are refused, not crashed on; the
        // live family still rotates.
        await EndSessionFlows.AssertRefreshRefusedAsync(client, revoked.RefreshToken!, "a refresh token of a purged revoked family");
        await EndSessionFlows.AssertRefreshRefusedAsync(client, bobTokens.RefreshToken!, "a refresh token of a purged family of an ended session",
            SignInClients.CW, SignInClients.CWSecret);
        await OAuthAssert.TokenSuccessAsync(await CodeFlowTokens.RefreshAsync(client, SignInClients.CW, SignInClients.CWSecret, liveRotated), codeFlow: true);

        // A day after alice's first session reached its 12 h lifetime, it goes too (with the late sign-in's
        // code, now an hour past its expiry); the late session (idle for 12 h, so over, but for less than
        // a day) stays, and the purged session's cookie signs no one in.
        clock.SetUtcNow(t0 + TimeSpan.FromHours(12) + TimeSpan.FromDays(1) + Second);
        Assert.Equal(2, await server.Factory.SendAsync(new PurgeEndedGrants()));
        Assert.Equal([Sid(fresh)], await db.SessionsAsync());
        Assert.Equal(0L, await db.CountAsync("authorization_codes"));
        Assert.Equal(new[] { liveFamily, freshFamily }.Order().ToList(), await db.FamiliesAsync());
        await EndSessionFlows.AssertSignedOutAsync(alice, "the cookie of a purged session");
    }

    [Fact]
    public async Task The_purge_runs_in_batches_and_deletes_everything_due()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, seedJson: SignInClients.SeedJson());
        var db = new GrantRows(database);
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        for (var i = 0; i < 5; i++)
        {
            var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid offline_access");
            await BackChannel.RevokedAsync(await server.Client.RevokeAsync(tokens.RefreshToken!, Protocol.Basic(SignInClients.CW, SignInClients.CWSecret)));
        }

        Assert.Equal(5L, await db.CountAsync("authorization_codes"));
        Assert.Equal(5L, await db.CountAsync("refresh_token_families"));

        server.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
        Assert.Equal(10, await server.Factory.SendAsync(new PurgeEndedGrants(BatchSize: 2)));
        Assert.Equal(0L, await db.CountAsync("authorization_codes"));
        Assert.Equal(0L, await db.CountAsync("refresh_token_families"));
        Assert.Equal(0L, await db.CountAsync("refresh_tokens"));

        // The session (12 h lifetime) expired less than a day ago: still there until then.
        Assert.Equal(1L, await db.CountAsync("user_sessions"));
    }

    // The handler's contract: families are deleted "a day after they expired". A family unused for its
    // idle lifetime (7 days) has expired (its refresh token is refused), so it is due a day later, not
    // only a day after its 30-day absolute expiry.
    [Fact]
    public async Task A_family_expired_by_inactivity_is_deleted_a_day_after_its_idle_expiry()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, seedJson: SignInClients.SeedJson());
        var db = new GrantRows(database);
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid offline_access");
        var family = await db.FamilyOfAsync(tokens.RefreshToken!);
        var idleExpiry = await db.TimeAsync("SELECT last_used_at + make_interval(secs => idle_lifetime_seconds) FROM refresh_token_families WHERE id = @id", ("id", family));
        var absoluteExpiry = await db.TimeAsync("SELECT absolute_expires_at FROM refresh_token_families WHERE id = @id", ("id", family));
        Assert.True(absoluteExpiry - idleExpiry > TimeSpan.FromDays(2), $"idle expiry {idleExpiry:O}, absolute {absoluteExpiry:O}");

        server.Clock.SetUtcNow(idleExpiry + Second);
        await EndSessionFlows.AssertRefreshRefusedAsync(server.Client, tokens.RefreshToken!, "a refresh token past its family's idle lifetime");

        server.Clock.SetUtcNow(idleExpiry + TimeSpan.FromDays(1) + Second);
        await server.Factory.SendAsync(new PurgeEndedGrants());

        Assert.True(await db.FamiliesAsync() is [],
            $"The family expired by inactivity at {idleExpiry:O} is still stored a day later ({server.Clock.GetUtcNow():O}); "
            + $"it would be kept until a day after its absolute expiry {absoluteExpiry:O}.");
        Assert.Equal(0L, await db.CountAsync("refresh_tokens"));
    }

    // The handler's contract: sessions are deleted "a day after they ended or expired". A session idle for
    // its idle timeout (2 h) has expired (it signs no one in), so it is due a day later, not only a day
    // after its 12-hour absolute lifetime.
    [Fact]
    public async Task A_session_expired_by_inactivity_is_deleted_a_day_after_its_idle_expiry()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, seedJson: SignInClients.SeedJson());
        var db = new GrantRows(database);
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        var session = Sid(tokens);
        var idleExpiry = await db.TimeAsync("SELECT last_seen_at + make_interval(secs => idle_timeout_seconds) FROM user_sessions WHERE id = @id", ("id", session));
        var absoluteExpiry = await db.TimeAsync("SELECT expires_at FROM user_sessions WHERE id = @id", ("id", session));
        Assert.True(absoluteExpiry - idleExpiry > TimeSpan.FromHours(2), $"idle expiry {idleExpiry:O}, absolute {absoluteExpiry:O}");

        server.Clock.SetUtcNow(idleExpiry + Second);
        await EndSessionFlows.AssertSignedOutAsync(browser, "a session past its idle timeout");

        server.Clock.SetUtcNow(idleExpiry + TimeSpan.FromDays(1) + Second);
        await server.Factory.SendAsync(new PurgeEndedGrants());

        Assert.True(await db.SessionsAsync() is [],
            $"The session expired by inactivity at {idleExpiry:O} is still stored a day later ({server.Clock.GetUtcNow():O}); "
            + $"it would be kept until a day after its absolute expiry {absoluteExpiry:O}.");
    }

    private static Guid Sid(EndSessionTokens tokens) => Guid.Parse(Jose.Payload(tokens.IdToken!)["sid"]!.GetValue<string>());

    /// <summary>The rows of the grant tables, found by the hashes the server stores.</summary>
    private sealed class GrantRows(TestDatabase database)
    {
        public Task<long> CountAsync(string table) => database.ScalarAsync<long>($"SELECT count(*) FROM {table}");

        public Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters) => database.ScalarAsync<long>(sql, parameters);

        public async Task<bool> CodeExistsAsync(string code) =>
            await database.ScalarAsync<long>("SELECT count(*) FROM authorization_codes WHERE code_hash = @h", ("h", OpaqueToken.HashOf(code))) == 1;

        public async Task<Guid> FamilyOfAsync(string refreshToken)
        {
            var rows = await database.QueryAsync("SELECT family_id FROM refresh_tokens WHERE token_hash = @h", ("h", OpaqueToken.HashOf(refreshToken)));
            return (Guid)Assert.Single(rows)[0];
        }

        public async Task<List<Guid>> FamiliesAsync() =>
            [.. (await database.QueryAsync("SELECT id FROM refresh_token_families")).Select(r => (Guid)r[0]).Order()];

        public async Task<List<Guid>> SessionsAsync() =>
            [.. (await database.QueryAsync("SELECT id FROM user_sessions")).Select(r => (Guid)r[0]).Order()];

        public async Task<DateTimeOffset> TimeAsync(string sql, params (string Name, object Value)[] parameters)
        {
            var value = Assert.Single(await database.QueryAsync(sql, parameters))[0];
            return value switch
            {
                DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
                DateTimeOffset offset => offset,
                _ => throw new InvalidOperationException($"Not a timestamp: {value}"),
            };
        }
    }
}
