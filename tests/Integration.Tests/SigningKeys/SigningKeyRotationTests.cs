using AuthService.Application.SigningKeys.Commands.RotateSigningKeys;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SigningKeys;

/// <summary>
/// Scheduled signing-key rotation (docs/adr/0011, docs/adr/0015) under a clock
/// the test moves: the server runs on a <see cref="FakeTimeProvider"/> with its Hangfire job server stopped, and
/// each check sends <see cref="RotateSigningKeys"/> through the server's mediator, exactly as the
/// rotation job does. Hours of schedule pass without real waiting.
/// </summary>
public sealed class SigningKeyRotationTests
{
    private static readonly TimeSpan RotationPeriod = TimeSpan.FromHours(3);
    private static readonly TimeSpan PropagationTime = TimeSpan.FromHours(1);
    private static readonly TimeSpan RetentionTime = TimeSpan.FromMinutes(66);

    /// <summary>
    /// A key signs for 3 h; its successor is published 1 h before it signs; a retired key stays
    /// published 1 h 6 min (the longest token lifetime, skew and the key-set refresh). Access tokens of C1 live 1 h.
    /// </summary>
    private static readonly Dictionary<string, string?> Schedule = new()
    {
        ["Auth:SigningKeyRotation:RotationPeriod"] = "03:00:00",
        ["Auth:SigningKeyRotation:PropagationTime"] = "01:00:00",
        ["Auth:SigningKeyRotation:RetentionTime"] = "01:06:00",
        ["Auth:SigningKeyRotation:CheckInterval"] = "00:30:00",
    };

    // the successor is published a full propagation time before it signs, the old key stays
    // published until every token it signed has expired, and then it goes. At no point is there more
    // than one signing key per algorithm.
    [Fact]
    public async Task A_rotation_publishes_the_successor_first_switches_signing_then_removes_the_old_key_after_retention()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, Schedule);
        var (client, clock) = (server.Client, server.Clock);
        var t0 = clock.GetUtcNow();

        var initialJwks = await client.GetJwksAsync();
        var k1 = Assert.Single(PublishedKeys.Kids(initialJwks, "ES256"));
        var r1 = Assert.Single(PublishedKeys.Kids(initialJwks, "RS256"));
        var first = await client.C1TokenAsync();
        Assert.Equal(k1, PublishedKeys.KidOf(first));

        // The server really runs on the test clock: the token's iat is the clock's time, not the real one.
        Assert.Equal(t0.ToUnixTimeSeconds(), AccessTokens.Read(first).GetPayloadValue<long>("iat"));
        await database.AssertOneSignerPerAlgorithmAsync("at start");

        // 1. A minute before the successor is due (rotation date minus propagation time): nothing changes.
        clock.SetUtcNow(t0 + RotationPeriod - PropagationTime - TimeSpan.FromMinutes(1));
        await server.Factory.SendAsync(new RotateSigningKeys());
        Assert.Equal(initialJwks, await client.GetJwksAsync());
        Assert.DoesNotContain(await database.StoredKeysAsync(), k => k.State == StoredKey.Pending);
        await database.AssertOneSignerPerAlgorithmAsync("before the successor is due");

        // 2. A minute after: the successor of each algorithm is published, pending, and does not sign yet.
        clock.SetUtcNow(t0 + RotationPeriod - PropagationTime + TimeSpan.FromMinutes(1));
        await server.Factory.SendAsync(new RotateSigningKeys());
        var publishedJwks = await client.GetJwksAsync();
        var esKids = PublishedKeys.Kids(publishedJwks, "ES256");
        Assert.Equal(2, esKids.Count);
        Assert.Contains(k1, esKids);
        var k2 = esKids.Single(k => k != k1);
        var rsKids = PublishedKeys.Kids(publishedJwks, "RS256");
        Assert.Equal(2, rsKids.Count);
        Assert.Contains(r1, rsKids);
        var stored = (await database.StoredKeysAsync()).ToDictionary(k => k.Kid);
        Assert.Equal(StoredKey.Pending, stored[k2].State);
        Assert.Equal(StoredKey.Active, stored[k1].State);
        Assert.True(stored[k2].ActivatesAt - stored[k2].CreatedAt >= PropagationTime,
            $"The successor may sign {stored[k2].ActivatesAt - stored[k2].CreatedAt} after it is published; the propagation time is {PropagationTime}.");
        var whilePending = await client.C1TokenAsync();
        Assert.Equal(k1, PublishedKeys.KidOf(whilePending));
        await AccessTokens.AssertValidAsync(whilePending, publishedJwks, TestClients.Issuer, TestClients.Issuer, clock.GetUtcNow());
        await database.AssertOneSignerPerAlgorithmAsync("with the successor published");

        // 3. The rotation date itself: the old key has signed for its period, but the successor has not
        // been published for the full propagation time yet, so it still waits.
        clock.SetUtcNow(t0 + RotationPeriod);
        await server.Factory.SendAsync(new RotateSigningKeys());
        Assert.Equal(publishedJwks, await client.GetJwksAsync());

        // Token A: signed by the old key shortly before the switch, valid for another hour.
        var tokenA = await client.C1TokenAsync();
        Assert.Equal(k1, PublishedKeys.KidOf(tokenA));
        var tokenAExpires = DateTimeOffset.FromUnixTimeSeconds(AccessTokens.Read(tokenA).GetPayloadValue<long>("exp"));
        await database.AssertOneSignerPerAlgorithmAsync("at the rotation date");

        // 4. Past the successor's activation time: it signs; the old key is retired and still published.
        clock.SetUtcNow(stored[k2].ActivatesAt + TimeSpan.FromMinutes(1));
        await server.Factory.SendAsync(new RotateSigningKeys());
        var switchedJwks = await client.GetJwksAsync();
        Assert.Equal(Sorted(k1, k2), PublishedKeys.Kids(switchedJwks, "ES256"));
        Assert.Equal(2, PublishedKeys.Kids(switchedJwks, "RS256").Count);
        stored = (await database.StoredKeysAsync()).ToDictionary(k => k.Kid);
        Assert.Equal(StoredKey.Active, stored[k2].State);
        Assert.Equal(StoredKey.Retired, stored[k1].State);
        Assert.Equal(StoredKey.Retired, stored[r1].State);
        await database.AssertOneSignerPerAlgorithmAsync("after the switch");

        var afterSwitch = await client.C1TokenAsync();
        Assert.Equal(k2, PublishedKeys.KidOf(afterSwitch));
        await AccessTokens.AssertValidAsync(afterSwitch, switchedJwks, TestClients.Issuer, TestClients.Issuer, clock.GetUtcNow());
        await BackChannel.ActiveAsync(await client.IntrospectAsync(afterSwitch, BackChannel.C1Basic));

        // Token A, signed by the retired key, still verifies at a resource server and at introspection.
        await AccessTokens.AssertValidAsync(tokenA, switchedJwks, TestClients.Issuer, TestClients.Issuer, clock.GetUtcNow());
        await BackChannel.ActiveAsync(await client.IntrospectAsync(tokenA, BackChannel.C1Basic));

        // The old key stays published at least until the last token it signed has expired.
        Assert.True(stored[k1].RemovableAt >= tokenAExpires,
            $"The retired key may be removed at {stored[k1].RemovableAt:O}, before its last token expires at {tokenAExpires:O}.");

        // 5. A second before token A expires: still verifiable, the old key still published.
        clock.SetUtcNow(tokenAExpires - TimeSpan.FromSeconds(1));
        await server.Factory.SendAsync(new RotateSigningKeys());
        var lateJwks = await client.GetJwksAsync();
        Assert.Equal(switchedJwks, lateJwks);
        await AccessTokens.AssertValidAsync(tokenA, lateJwks, TestClients.Issuer, TestClients.Issuer, clock.GetUtcNow());
        await BackChannel.ActiveAsync(await client.IntrospectAsync(tokenA, BackChannel.C1Basic));

        // 6. A minute before the retention ends: still published.
        clock.SetUtcNow(stored[k1].RemovableAt!.Value - TimeSpan.FromMinutes(1));
        await server.Factory.SendAsync(new RotateSigningKeys());
        Assert.Equal(switchedJwks, await client.GetJwksAsync());

        // 7. Past the retention: the old keys are removed from the JWKS; the new ones sign alone.
        clock.SetUtcNow(stored[k1].RemovableAt!.Value + TimeSpan.FromMinutes(1));
        await server.Factory.SendAsync(new RotateSigningKeys());
        var finalJwks = await client.GetJwksAsync();
        Assert.Equal([k2], PublishedKeys.Kids(finalJwks, "ES256"));
        Assert.Equal(rsKids.Where(k => k != r1), PublishedKeys.Kids(finalJwks, "RS256"));
        stored = (await database.StoredKeysAsync()).ToDictionary(k => k.Kid);
        Assert.Equal(StoredKey.Removed, stored[k1].State);
        Assert.Equal(StoredKey.Removed, stored[r1].State);
        await database.AssertOneSignerPerAlgorithmAsync("after the removal");

        var last = await client.C1TokenAsync();
        Assert.Equal(k2, PublishedKeys.KidOf(last));
        await AccessTokens.AssertValidAsync(last, finalJwks, TestClients.Issuer, TestClients.Issuer, clock.GetUtcNow());
        await BackChannel.InactiveAsync(await client.IntrospectAsync(tokenA, BackChannel.C1Basic), "token A after its expiry and its key's removal");
    }

    // CVE-2026-9802 flavour: nothing about the keys lives only in memory. A server started on the database
    // after a rotation signs with the key that was active, generates none, and still publishes the
    // retired key; a token revoked before the restart stays revoked.
    [Fact]
    public async Task A_server_restarted_after_a_rotation_keeps_the_active_key_and_still_publishes_the_retired_one()
    {
        await using var database = await TestDatabase.CreateAsync();
        string k1, k2, jwksBefore, liveToken, revokedToken;
        List<StoredKey> keysBefore;
        DateTimeOffset stoppedAt;
        await using (var first = await ClockedServer.StartAsync(database, Schedule))
        {
            k1 = Assert.Single(PublishedKeys.Kids(await first.Client.GetJwksAsync(), "ES256"));
            var t0 = first.Clock.GetUtcNow();
            first.Clock.SetUtcNow(t0 + RotationPeriod - PropagationTime + TimeSpan.FromMinutes(1));
            await first.Factory.SendAsync(new RotateSigningKeys());
            first.Clock.SetUtcNow((await database.StoredKeysAsync()).Single(k => k.State == StoredKey.Pending && k.Algorithm == "ES256").ActivatesAt + TimeSpan.FromMinutes(1));
            await first.Factory.SendAsync(new RotateSigningKeys());

            jwksBefore = await first.Client.GetJwksAsync();
            keysBefore = await database.StoredKeysAsync();
            k2 = keysBefore.Single(k => k.State == StoredKey.Active && k.Algorithm == "ES256").Kid;
            Assert.NotEqual(k1, k2);
            Assert.Equal(StoredKey.Retired, keysBefore.Single(k => k.Kid == k1).State);
            liveToken = await first.Client.C1TokenAsync();
            Assert.Equal(k2, PublishedKeys.KidOf(liveToken));
            revokedToken = await first.Client.C1TokenAsync();
            await BackChannel.RevokedAsync(await first.Client.RevokeAsync(revokedToken, BackChannel.C1Basic));
            stoppedAt = first.Clock.GetUtcNow();
        }

        // The restarted server's clock goes on from where the first one stopped.
        await using var second = await ClockedServer.StartAsync(database, Schedule, new FakeTimeProvider(stoppedAt + TimeSpan.FromSeconds(5)));

        Assert.Equal(keysBefore, await database.StoredKeysAsync());
        var jwksAfter = await second.Client.GetJwksAsync();
        Assert.Equal(jwksBefore, jwksAfter);
        Assert.Equal(Sorted(k1, k2), PublishedKeys.Kids(jwksAfter, "ES256"));
        var token = await second.Client.C1TokenAsync();
        Assert.Equal(k2, PublishedKeys.KidOf(token));
        await AccessTokens.AssertValidAsync(liveToken, jwksAfter, TestClients.Issuer, TestClients.Issuer, second.Clock.GetUtcNow());
        await BackChannel.ActiveAsync(await second.Client.IntrospectAsync(liveToken, BackChannel.C1Basic));
        await BackChannel.InactiveAsync(await second.Client.IntrospectAsync(revokedToken, BackChannel.C1Basic), "a token revoked before the restart");

        // And the rotation check right after the restart (what the job does at start) changes nothing.
        await second.Factory.SendAsync(new RotateSigningKeys());
        Assert.Equal(keysBefore, await database.StoredKeysAsync());
        Assert.Equal(jwksBefore, await second.Client.GetJwksAsync());
    }

    private static List<string> Sorted(params string[] kids) => [.. kids.Order(StringComparer.Ordinal)];
}
