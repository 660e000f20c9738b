using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SigningKeys;

/// <summary>
/// The rotation job really runs by itself, on Hangfire's PostgreSQL storage (docs/adr/0011, 0015):
/// with a schedule of seconds on the real clock, the server publishes a successor key and then signs
/// with it, without the test sending anything. The only test here that waits for a schedule.
/// </summary>
public sealed class ScheduledRotationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A key signs for 10 s; its successor is published 5 s before (≥ JWKS cache 2 s + key-ring refresh
    /// 1 s); the job checks every second.
    /// </summary>
    private static readonly Dictionary<string, string?> FastSchedule = new()
    {
        ["Auth:SigningKeyRotation:RotationPeriod"] = "00:00:10",
        ["Auth:SigningKeyRotation:PropagationTime"] = "00:00:05",
        ["Auth:SigningKeyRotation:RetentionTime"] = "01:06:00",
        ["Auth:SigningKeyRotation:CheckInterval"] = "00:00:01",
        ["Auth:JwksCacheSeconds"] = "2",
        ["Auth:KeyRingRefreshSeconds"] = "1",
    };

    // on the real scheduler: published before it signs; every token's key is in the JWKS
    // fetched right after it (a key, once published, stays for the hour of retention).
    [Fact]
    public async Task The_rotation_job_publishes_and_then_activates_a_successor_on_hangfire_postgresql_storage()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson(), overrides: FastSchedule);
        using var client = server.Start();

        // The first key is the one made at start; its successor is the next one the job makes.
        var k1 = (await database.StoredKeysAsync()).First(k => k.Algorithm == "ES256").Kid;
        await Poll.UntilAsync(
            () => SignAndPublishedAsync(client),
            s => s.EsKids.Count >= 2,
            Deadline,
            "the rotation job to publish a second ES256 key",
            s => $"ES256 keys [{string.Join(", ", s.EsKids)}], token signed by {s.TokenKid}");
        var k2 = (await database.StoredKeysAsync()).First(k => k.Algorithm == "ES256" && k.Kid != k1).Kid;

        var switched = await Poll.UntilAsync(
            () => SignAndPublishedAsync(client),
            s => s.TokenKid == k2,
            Deadline,
            $"tokens signed by the successor {k2}",
            s => $"token signed by {s.TokenKid}, ES256 keys [{string.Join(", ", s.EsKids)}]");

        // The old key is retired, not gone: tokens it signed still verify.
        Assert.Contains(k1, switched.EsKids);
        var stored = (await database.StoredKeysAsync()).ToDictionary(k => k.Kid);
        Assert.Equal(StoredKey.Active, stored[k2].State);
        Assert.Equal(StoredKey.Retired, stored[k1].State);
        Assert.True(stored[k2].ActivatedAt - stored[k2].CreatedAt >= TimeSpan.FromSeconds(5),
            $"The successor signed {stored[k2].ActivatedAt - stored[k2].CreatedAt} after it was published; the propagation time is 5 s.");
        await database.AssertOneSignerPerAlgorithmAsync("after the scheduled switch");

        // The jobs live in Hangfire's tables in the same database (schema hangfire), not in memory.
        var tables = await Scheduling.HangfireTablesAsync(database);
        Assert.Contains("job", tables);
        Assert.Contains("jobqueue", tables);
        Assert.Contains("lock", tables);
        Assert.Contains("server", tables);
        var jobs = (await database.QueryAsync("SELECT value FROM hangfire.set WHERE key = 'recurring-jobs' ORDER BY value")).Select(r => (string)r[0]);
        Assert.Equal([Scheduling.PurgeJob, Scheduling.RotationJob], jobs);

        // This server's job server has registered in the storage, and the rotation job has run through it.
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server") >= 1, "No Hangfire server has registered in the storage.");
        var runs = await Scheduling.RunsAsync(database, Scheduling.RotationJob);
        Assert.True(runs.Count(r => r.EndedAt is not null) >= 1, "The rotation job in the storage has never completed a run.");
    }

    /// <summary>A fresh token's kid and then the JWKS; fails if the token's key is not published.</summary>
    private static async Task<(string TokenKid, List<string> EsKids)> SignAndPublishedAsync(HttpClient client)
    {
        var token = await client.C1TokenAsync();
        var jwks = await client.GetJwksAsync();
        var kid = PublishedKeys.KidOf(token);
        var esKids = PublishedKeys.Kids(jwks, "ES256");
        Assert.True(esKids.Contains(kid), $"A token was signed by {kid}, which the JWKS fetched right after does not publish: [{string.Join(", ", esKids)}]");
        await AccessTokens.AssertValidAsync(token, jwks, TestClients.Issuer, TestClients.Issuer);
        return (kid, esKids);
    }
}
