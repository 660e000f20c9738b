using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SigningKeys;

/// <summary>
/// The timings of rotation, key refresh and purge are checked at start (docs/adr/0011 "Validated
/// timings"): a schedule under which a resource server could meet a key it has not fetched, or a token
/// outlive its key, or a job could not be scheduled, stops the start with a message that names the
/// setting to fix, before anything is written.
/// </summary>
public sealed class RotationSettingsTests
{
    private const string Rotation = "Auth:SigningKeyRotation:";

    public static TheoryData<string, Dictionary<string, string?>, string> InvalidSettings => new()
    {
        // resource servers caching the JWKS for 15 min would not have the key before it signs.
        {
            "propagation shorter than the JWKS cache time",
            new() { [Rotation + "PropagationTime"] = "00:10:00", [Rotation + "CheckInterval"] = "00:01:00" },
            Rotation + "PropagationTime"
        },

        // Nor would another replica, which refreshes its key set only every KeyRingRefreshSeconds.
        {
            "propagation shorter than the JWKS cache time plus the key-ring refresh",
            new()
            {
                ["Auth:JwksCacheSeconds"] = "600", ["Auth:KeyRingRefreshSeconds"] = "120",
                [Rotation + "PropagationTime"] = "00:11:00", [Rotation + "CheckInterval"] = "00:01:00",
            },
            Rotation + "PropagationTime"
        },
        {
            "rotation period not longer than the propagation time",
            new() { [Rotation + "RotationPeriod"] = "2.00:00:00", [Rotation + "PropagationTime"] = "2.00:00:00" },
            Rotation + "RotationPeriod"
        },

        // A retired key would leave the JWKS while tokens it signed (up to 1 h) are still valid.
        {
            "retention of 10 minutes",
            new() { [Rotation + "RetentionTime"] = "00:10:00" },
            Rotation + "RetentionTime"
        },
        {
            "retention a second short of 1 h 5 min",
            new() { [Rotation + "RetentionTime"] = "01:04:59" },
            Rotation + "RetentionTime"
        },
        {
            "check interval of zero",
            new() { [Rotation + "CheckInterval"] = "00:00:00" },
            Rotation + "CheckInterval"
        },
        {
            "negative check interval",
            new() { [Rotation + "CheckInterval"] = "-00:00:01" },
            Rotation + "CheckInterval"
        },
        {
            "check interval longer than half the propagation time",
            new() { [Rotation + "PropagationTime"] = "02:00:00", [Rotation + "CheckInterval"] = "01:00:01" },
            Rotation + "CheckInterval"
        },
        {
            "check interval that is not a time span",
            new() { [Rotation + "CheckInterval"] = "half an hour" },
            Rotation + "CheckInterval"
        },
        {
            "key-ring refresh of zero",
            new() { ["Auth:KeyRingRefreshSeconds"] = "0" },
            "Auth:KeyRingRefreshSeconds"
        },
        {
            "purge interval of zero",
            new() { ["Auth:RevocationPurgeIntervalSeconds"] = "0" },
            "Auth:RevocationPurgeIntervalSeconds"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task An_unsafe_schedule_stops_the_start_and_names_the_setting(string problem, Dictionary<string, string?> overrides, string named)
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson(), overrides: overrides);

        var messages = await server.StartExpectingFailureAsync();
        Assert.True(messages.Contains(named, StringComparison.Ordinal), $"{problem}: the error does not name '{named}':\n{messages}");
        Assert.DoesNotContain(TestClients.KeyEncryptionKey, messages, StringComparison.Ordinal);

        // Refused before anything was written: no migration ran, no key was generated.
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }

    // A replica signs with the old key until its next key-ring refresh after the switch, so the last
    // token the old key signs expires up to KeyRingRefreshSeconds + 1 h after the switch. With a refresh
    // of 30 min, a retention of 1 h 5 min removes the key from the JWKS while such tokens are still
    // valid ("the old key stays in JWKS until every token it signed has expired"). The retention
    // must cover the refresh too (or the removal be delayed by it).
    [Fact]
    public async Task A_retention_shorter_than_the_token_lifetime_plus_the_key_ring_refresh_stops_the_start()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson(), overrides: new Dictionary<string, string?>
        {
            ["Auth:KeyRingRefreshSeconds"] = "1800",
            [Rotation + "RetentionTime"] = "01:05:00",
        });

        // It must not start: a replica that refreshes 30 min after a switch signs tokens valid until 1 h 30 min
        // after it, with a key removed from the JWKS at 1 h 5 min.
        var messages = await server.StartExpectingFailureAsync();
        Assert.Contains(Rotation + "RetentionTime", messages, StringComparison.Ordinal);
    }

    // The positive control: every bound met exactly is accepted, and the server works.
    [Fact]
    public async Task A_schedule_exactly_at_every_bound_starts()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson(), overrides: new Dictionary<string, string?>
        {
            ["Auth:JwksCacheSeconds"] = "900",
            ["Auth:KeyRingRefreshSeconds"] = "30",
            [Rotation + "PropagationTime"] = "00:15:30",
            [Rotation + "RotationPeriod"] = "1.00:00:00",
            [Rotation + "RetentionTime"] = "01:05:30",
            [Rotation + "CheckInterval"] = "00:07:45",
        });

        using var client = server.Start();

        var token = await client.C1TokenAsync();
        await AccessTokens.AssertValidAsync(token, await client.GetJwksAsync(), TestClients.Issuer, TestClients.Issuer);
    }
}
