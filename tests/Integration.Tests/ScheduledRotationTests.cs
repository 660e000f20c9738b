using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests;

/// <summary>
/// The rotation job really runs by itself, on Quartz's clustered store in PostgreSQL (docs/adr/0011):
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
    public async Task The_rotation_job_publishes_and_then_activates_a_successor_on_the_clustered_quartz_store()
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

        // The jobs live in Quartz's tables in the same database (the clustered ADO store), not in memory.
        var tables = await Scheduling.QuartzTablesAsync(database);
        Assert.Contains("qrtz_job_details", tables);
        Assert.Contains("qrtz_triggers", tables);
        Assert.Contains("qrtz_locks", tables);
        Assert.Contains("qrtz_scheduler_state", tables);
        var jobs = (await database.QueryAsync("SELECT job_name FROM qrtz_job_details ORDER BY job_name")).Select(r => (string)r[0]);
        Assert.Equal([Scheduling.PurgeJob, Scheduling.RotationJob], jobs);

        // Clustered: this server has checked in to the store, and the rotation trigger has fired through it.
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state") >= 1, "No scheduler instance has checked in to the clustered store.");
        Assert.True(await database.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_triggers WHERE trigger_name = @name AND prev_fire_time > 0", ("name", Scheduling.RotationJob)) == 1,
            "The rotation trigger in the store has never fired.");
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
