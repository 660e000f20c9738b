using System.Net;
using AuthService.Application.SigningKeys.Commands.RotateSigningKeys;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SigningKeys;

/// <summary>
/// Two replicas on one database with the same key-encryption key (RFC 7517,
/// RFC 8414 §3.3; docs/adr/0011 "Key-set refresh on every replica"): a key change made through one replica,
/// or directly in the database, reaches the other within its key-ring refresh (1 s here), so both
/// publish the same key set and sign with the same key.
/// </summary>
public sealed class ReplicaKeyRingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // RFC 8414 §3.3: after a rotation made by replica A, replica B publishes the successor before it signs,
    // then signs with it too; a token from B verifies against A's JWKS and is active at A.
    [Fact]
    public async Task A_rotation_made_by_one_replica_is_published_and_used_by_the_other()
    {
        // A key signs for 20 min, its successor is published 5 min before. Replica A runs on a test clock
        // the test moves 22 minutes ahead; replica B stays on the real clock (so B's tokens are within
        // their lifetime at A too).
        var settings = new Dictionary<string, string?>
        {
            ["Auth:SigningKeyRotation:RotationPeriod"] = "00:20:00",
            ["Auth:SigningKeyRotation:PropagationTime"] = "00:05:00",
            ["Auth:SigningKeyRotation:RetentionTime"] = "01:06:00",
            ["Auth:SigningKeyRotation:CheckInterval"] = "00:02:30",
            ["Auth:JwksCacheSeconds"] = "60",
            ["Auth:KeyRingRefreshSeconds"] = "1",
        };
        await using var database = await TestDatabase.CreateAsync();
        await using var b = new InProcessServer(database, TestClients.SeedJson(), overrides: settings);
        using var clientB = b.Start();

        // B's job server stops and A's never runs on its own (ClockedServer), so only the test rotates.
        await Scheduling.PauseAsync(b.Factory);
        await using var a = await ClockedServer.StartAsync(database, settings);
        var clientA = a.Client;
        var t0 = a.Clock.GetUtcNow();

        var initialJwks = await clientA.GetJwksAsync();
        Assert.Equal(initialJwks, await clientB.GetJwksAsync());
        var k1 = Assert.Single(PublishedKeys.Kids(initialJwks, "ES256"));

        // A publishes the successor; B publishes it within its refresh, and still signs with the old key.
        a.Clock.SetUtcNow(t0 + TimeSpan.FromMinutes(16));
        await a.Factory.SendAsync(new RotateSigningKeys());
        var k2 = Assert.Single(PublishedKeys.Kids(await clientA.GetJwksAsync(), "ES256"), k => k != k1);
        await Poll.UntilAsync(
            clientB.GetJwksAsync,
            jwks => PublishedKeys.Kids(jwks, "ES256").Contains(k2),
            Deadline,
            $"replica B to publish the successor {k2}",
            jwks => jwks);
        Assert.Equal(k1, PublishedKeys.KidOf(await clientB.C1TokenAsync()));

        // A switches; B signs with the new key within its refresh.
        a.Clock.SetUtcNow(t0 + TimeSpan.FromMinutes(22));
        await a.Factory.SendAsync(new RotateSigningKeys());
        Assert.Equal(k2, PublishedKeys.KidOf(await clientA.C1TokenAsync()));
        var tokenB = await Poll.UntilAsync(
            () => clientB.C1TokenAsync(),
            token => PublishedKeys.KidOf(token) == k2,
            Deadline,
            $"replica B to sign with {k2}",
            token => $"signed by {PublishedKeys.KidOf(token)}");

        // Both replicas publish the same key set and sign with the same key.
        var (jwksA, _) = await Poll.UntilAsync(
            () => BothJwksAsync(clientA, clientB),
            both => both.A == both.B,
            Deadline,
            "the two replicas to publish the same key set",
            both => $"A: {both.A}\nB: {both.B}");
        Assert.Equal(PublishedKeys.KidOf(await clientA.C1TokenAsync()), PublishedKeys.KidOf(await clientB.C1TokenAsync()));
        await database.AssertOneSignerPerAlgorithmAsync("after the rotation");

        // A token from B verifies against A's JWKS and is active at A.
        await AccessTokens.AssertValidAsync(tokenB, jwksA, TestClients.Issuer, TestClients.Issuer);
        await BackChannel.ActiveAsync(await clientA.IntrospectAsync(tokenB, BackChannel.C1Basic));
    }

    // RFC 8414 §3.3 under contention: both replicas run the switch at the same moment (on one shared
    // instant). One wins; the other keeps its result; no error escapes, and the database never holds
    // two active keys for an algorithm.
    [Fact]
    public async Task Two_replicas_switching_at_the_same_moment_leave_exactly_one_active_key_per_algorithm()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:SigningKeyRotation:RotationPeriod"] = "03:00:00",
            ["Auth:SigningKeyRotation:PropagationTime"] = "01:00:00",
            ["Auth:SigningKeyRotation:RetentionTime"] = "01:06:00",
            ["Auth:SigningKeyRotation:CheckInterval"] = "00:30:00",
        };
        await using var database = await TestDatabase.CreateAsync();
        await using var a = await ClockedServer.StartAsync(database, settings);
        await using var b = await ClockedServer.StartAsync(database, settings, new FakeTimeProvider(a.Clock.GetUtcNow()));
        var t0 = a.Clock.GetUtcNow();
        var k1 = Assert.Single(PublishedKeys.Kids(await a.Client.GetJwksAsync(), "ES256"));

        // One replica publishes the successors (as the job, which runs once per cluster, would).
        foreach (var clock in new[] { a.Clock, b.Clock })
        {
            clock.SetUtcNow(t0 + TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        }

        await a.Factory.SendAsync(new RotateSigningKeys());
        var pending = (await database.StoredKeysAsync()).Where(k => k.State == StoredKey.Pending).ToList();
        Assert.Equal(3, pending.Count);

        // Both switch at once, several times over.
        foreach (var clock in new[] { a.Clock, b.Clock })
        {
            clock.SetUtcNow(pending.Max(k => k.ActivatesAt) + TimeSpan.FromMinutes(1));
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).Factory.SendAsync(new RotateSigningKeys())));

        await database.AssertOneSignerPerAlgorithmAsync("after a simultaneous switch");
        var keys = await database.StoredKeysAsync();
        Assert.All(pending, p => Assert.Equal(StoredKey.Active, keys.Single(k => k.Kid == p.Kid).State));
        Assert.Equal(StoredKey.Retired, keys.Single(k => k.Kid == k1).State);
        Assert.Equal(6, keys.Count);

        // Each replica reloaded its key ring after its own attempt: both sign with the successor.
        var k2 = pending.Single(k => k.Algorithm == "ES256").Kid;
        Assert.Equal(k2, PublishedKeys.KidOf(await a.Client.C1TokenAsync()));
        Assert.Equal(k2, PublishedKeys.KidOf(await b.Client.C1TokenAsync()));
        Assert.Equal(await a.Client.GetJwksAsync(), await b.Client.GetJwksAsync());
    }

    // The same at the other step of a rotation: replicas checking at the same moment, when the
    // successor is due to be published, must publish one successor per algorithm, not one each.
    // (RotateSigningKeysHandler: "Another replica rotated the same keys at the same moment; its result
    // stands." Hangfire normally runs the job once per cluster; this is the handler's own guarantee.)
    [Fact]
    public async Task Two_replicas_checking_at_the_same_moment_publish_one_successor_per_algorithm()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Auth:SigningKeyRotation:RotationPeriod"] = "03:00:00",
            ["Auth:SigningKeyRotation:PropagationTime"] = "01:00:00",
            ["Auth:SigningKeyRotation:RetentionTime"] = "01:06:00",
            ["Auth:SigningKeyRotation:CheckInterval"] = "00:30:00",
        };
        await using var database = await TestDatabase.CreateAsync();
        await using var a = await ClockedServer.StartAsync(database, settings);
        await using var b = await ClockedServer.StartAsync(database, settings, new FakeTimeProvider(a.Clock.GetUtcNow()));
        var t0 = a.Clock.GetUtcNow();
        foreach (var clock in new[] { a.Clock, b.Clock })
        {
            clock.SetUtcNow(t0 + TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => (i % 2 == 0 ? a : b).Factory.SendAsync(new RotateSigningKeys())));

        var pending = (await database.StoredKeysAsync()).Where(k => k.State == StoredKey.Pending).ToList();
        Assert.True(new[] { "ES256", "RS256", "EdDSA" }.All(alg => pending.Count(k => k.Algorithm == alg) == 1),
            $"Simultaneous checks published {string.Join(", ", pending.Select(k => k.Algorithm))} successors, expected one per algorithm.");
        await database.AssertOneSignerPerAlgorithmAsync("after simultaneous checks");
    }

    // RFC 7517: a key revoked in the database (as the admin API will do in an emergency) leaves every
    // replica's JWKS within the refresh bound; tokens it signed are inactive everywhere; tokens are
    // signed with a new key from then on, the same on both replicas.
    [Fact]
    public async Task A_key_revoked_in_the_database_disappears_from_every_replica_and_its_tokens_turn_inactive()
    {
        var settings = new Dictionary<string, string?> { ["Auth:KeyRingRefreshSeconds"] = "1" };
        await using var database = await TestDatabase.CreateAsync();
        await using var a = new InProcessServer(database, TestClients.SeedJson(), overrides: settings);
        await using var b = new InProcessServer(database, TestClients.SeedJson(), overrides: settings);
        using var clientA = a.Start();
        using var clientB = b.Start();

        var k1 = Assert.Single(PublishedKeys.Kids(await clientB.GetJwksAsync(), "ES256"));
        var rsKids = PublishedKeys.Kids(await clientB.GetJwksAsync(), "RS256");
        var tokenFromA = await clientA.C1TokenAsync();
        var tokenFromB = await clientB.C1TokenAsync();
        Assert.Equal(k1, PublishedKeys.KidOf(tokenFromA));
        Assert.Equal(k1, PublishedKeys.KidOf(tokenFromB));
        await BackChannel.ActiveAsync(await clientB.IntrospectAsync(tokenFromA, BackChannel.C1Basic));

        Assert.Equal(1, await RevokeInDatabaseAsync(database, k1));

        foreach (var (name, client) in new[] { ("A", clientA), ("B", clientB) })
        {
            var jwks = await Poll.UntilAsync(
                client.GetJwksAsync,
                jwks => !PublishedKeys.Kids(jwks, "ES256").Contains(k1),
                Deadline,
                $"replica {name} to stop publishing the revoked key {k1}",
                jwks => jwks);
            Assert.Equal(rsKids, PublishedKeys.Kids(jwks, "RS256"));

            // Tokens signed with the revoked key: inactive at introspection, and a resource server
            // holding the new JWKS refuses them.
            await BackChannel.InactiveAsync(await client.IntrospectAsync(tokenFromA, BackChannel.C1Basic), $"replica {name}, a token from A signed with the revoked key");
            await BackChannel.InactiveAsync(await client.IntrospectAsync(tokenFromB, BackChannel.C1Basic), $"replica {name}, a token from B signed with the revoked key");
            Assert.False((await AccessTokens.ValidateAsync(tokenFromB, jwks, TestClients.Issuer, TestClients.Issuer)).IsValid,
                $"A token signed with the revoked key verifies against replica {name}'s JWKS.");
        }

        // Signing resumes with a new key (the key-ring refresh creates one for an algorithm left
        // without); until then the token endpoint answers 503, never 500 and never with the revoked key.
        var newTokenFromB = await Poll.UntilAsync(
            () => TryTokenAsync(clientB, k1),
            token => token is not null && PublishedKeys.KidOf(token) != k1,
            Deadline,
            "replica B to sign with a new ES256 key");
        var k3 = PublishedKeys.KidOf(newTokenFromB!);
        var newTokenFromA = await Poll.UntilAsync(
            () => TryTokenAsync(clientA, k1),
            token => token is not null && PublishedKeys.KidOf(token) == k3,
            Deadline,
            $"replica A to sign with {k3} too",
            token => token is null ? "no token" : $"signed by {PublishedKeys.KidOf(token)}");
        await database.AssertOneSignerPerAlgorithmAsync("after the revocation");
        Assert.Equal(StoredKey.Revoked, (await database.StoredKeysAsync()).Single(k => k.Kid == k1).State);

        var (jwksA, _) = await Poll.UntilAsync(
            () => BothJwksAsync(clientA, clientB),
            both => both.A == both.B,
            Deadline,
            "the two replicas to publish the same key set",
            both => $"A: {both.A}\nB: {both.B}");
        Assert.DoesNotContain(k1, PublishedKeys.Kids(jwksA, "ES256"));
        await AccessTokens.AssertValidAsync(newTokenFromB!, jwksA, TestClients.Issuer, TestClients.Issuer);
        await BackChannel.ActiveAsync(await clientA.IntrospectAsync(newTokenFromB!, BackChannel.C1Basic));
        await BackChannel.ActiveAsync(await clientB.IntrospectAsync(newTokenFromA!, BackChannel.C1Basic));
    }

    private static async Task<(string A, string B)> BothJwksAsync(HttpClient a, HttpClient b) =>
        (await a.GetJwksAsync(), await b.GetJwksAsync());

    /// <summary>What an emergency revocation does to the row: state 4 (revoked), with its time and a new version.</summary>
    private static Task<int> RevokeInDatabaseAsync(TestDatabase database, string kid) =>
        database.ScalarAsync<int>(
            "WITH revoked AS (UPDATE signing_keys SET state = 4, revoked_at = now(), version = version + 1 WHERE key_id = @kid AND state = 1 RETURNING 1) SELECT count(*) FROM revoked",
            ("kid", kid));

    /// <summary>A token for C1, or null while the server answers 503 (no signing key yet). Anything else fails.</summary>
    private static async Task<string?> TryTokenAsync(HttpClient client, string revokedKid)
    {
        using var response = await client.PostC1Async();
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            return null;
        }

        var token = (await OAuthAssert.TokenSuccessAsync(response)).GetProperty("access_token").GetString()!;
        Assert.NotEqual(revokedKid, PublishedKeys.KidOf(token));
        return token;
    }
}
