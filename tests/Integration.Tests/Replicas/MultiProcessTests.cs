using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Replicas;

/// <summary>
/// Several built servers, each its own OS process, on one PostgreSQL database: the deployment of
/// docs/operations.md "Several replicas" (same issuer, same key-encryption key, same seed): replicas
/// agree on keys and metadata (RFC 8414), revocation is shared (RFC 7009 §2.1), scheduled rotation (ADR
/// 0015's "an occurrence runs on exactly one replica, runs never overlap", checked against Hangfire's own
/// record of every run), emergency key revocation (RFC 7517), a replica killed with SIGKILL and its
/// replacement, the database itself stopped and restarted, and no secret in any process's output (OWASP
/// ASVS 16.2.5) at the end of every test.
/// The bounds are shortened (key ring refresh and client cache 1 s, JWKS cache 3 s) so that each
/// cross-replica effect is observed within its documented bound instead of waited for blindly.
/// </summary>
public sealed class MultiProcessTests(ITestOutputHelper log)
{
    private const string Issuer = TestClients.Issuer;

    private static readonly Dictionary<string, string> ShortRotation = new()
    {
        ["Auth__SigningKeyRotation__RotationPeriod"] = "00:00:20",
        ["Auth__SigningKeyRotation__PropagationTime"] = "00:00:08",
        ["Auth__SigningKeyRotation__CheckInterval"] = "00:00:02",
        // Close to the shortest retention the server accepts (1 h token lifetime + 5 min skew + the key-set refresh).
        ["Auth__SigningKeyRotation__RetentionTime"] = "01:06:00",
    };

    /// <summary>Every access token a test obtained, for the "no token in the logs" check.</summary>
    private readonly ConcurrentQueue<string> _tokens = new();

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    // RFC 8414 §3.3 (replicas agree); RFC 7009 §2.1, GHSA-v3q9-2p3m-7g43 (a revocation is shared
    // state, whichever replica is asked, with no delay); ASVS 16.2.5.
    [Fact]
    public async Task Replicas_agree_on_metadata_keys_and_tokens_and_share_revocations_at_once()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var replicas = new ReplicaSet(database.ConnectionString);
        var all = await replicas.StartAsync("A", "B");
        Step($"replicas {string.Join(", ", all.Select(r => r.ToString()))} ready");
        var (a, b) = (all[0], all[1]);

        // Byte-identical discovery (one issuer for all), the same key set.
        var discoveryA = await a.Client.GetByteArrayAsync("/.well-known/openid-configuration");
        var discoveryB = await b.Client.GetByteArrayAsync("/.well-known/openid-configuration");
        Assert.True(discoveryA.AsSpan().SequenceEqual(discoveryB),
            $"The discovery documents differ:\nA: {Encoding.UTF8.GetString(discoveryA)}\nB: {Encoding.UTF8.GetString(discoveryB)}");
        var metadata = JsonDocument.Parse(discoveryA).RootElement;
        Assert.Equal(Issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal(Issuer + "/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());

        var jwks = new Dictionary<Replica, string> { [a] = await a.JwksAsync(), [b] = await b.JwksAsync() };
        Assert.Equal(3, ReplicaProbe.KeyIds(jwks[a]).Length);
        Assert.Equal(ReplicaProbe.KeyIds(jwks[a]), ReplicaProbe.KeyIds(jwks[b]));
        Assert.Equal(CanonicalKeys(jwks[a]), CanonicalKeys(jwks[b]));

        // Each replica issues to a different client, with the same key; every token is good everywhere.
        var fromA = await IssueAsync(a, TestClients.C1, TestClients.C1Secret);
        var fromB = await IssueAsync(b, TestClients.C2, TestClients.C2Secret);
        Assert.Equal(ReplicaProbe.KeyId(fromA), ReplicaProbe.KeyId(fromB));
        foreach (var (token, clientId, caller) in new[] { (fromA, TestClients.C1, BackChannel.C1Basic), (fromB, TestClients.C2, BackChannel.C2Basic) })
        {
            foreach (var replica in all)
            {
                await AccessTokens.AssertValidAsync(token, jwks[replica], Issuer, Issuer);
                var body = await BackChannel.ActiveAsync(await replica.Client.IntrospectAsync(token, caller));
                Assert.Equal(clientId, body.GetProperty("client_id").GetString());
                Assert.Equal(Issuer, body.GetProperty("iss").GetString());
                Assert.Equal(AccessTokens.Read(token).Id, body.GetProperty("jti").GetString());
            }
        }

        // Issued by A, revoked at B: B knows at once (before its answer), A when PostgreSQL's notification of the commit
        // reaches its denylist copy (docs/adr/0040; milliseconds, printed below).
        var untouched = await IssueAsync(a, TestClients.C1, TestClients.C1Secret);
        await BackChannel.RevokedAsync(await b.Client.RevokeAsync(fromA, BackChannel.C1Basic));
        await BackChannel.InactiveAsync(await b.Client.IntrospectAsync(fromA, BackChannel.C1Basic), "B, after revoking");
        await SeenRevokedAsync(a, fromA, BackChannel.C1Basic, "A, after B revoked A's token");

        // And the other way round.
        await BackChannel.RevokedAsync(await a.Client.RevokeAsync(fromB, BackChannel.C2Basic));
        await BackChannel.InactiveAsync(await a.Client.IntrospectAsync(fromB, BackChannel.C2Basic), "A, after revoking");
        await SeenRevokedAsync(b, fromB, BackChannel.C2Basic, "B, after A revoked B's token");

        // Another client cannot revoke a token at the other replica either; it stays active everywhere.
        await OAuthAssert.TokenErrorAsync(await b.Client.RevokeAsync(untouched, BackChannel.C2Basic), HttpStatusCode.BadRequest, "unauthorized_client");
        foreach (var replica in all)
        {
            await BackChannel.ActiveAsync(await replica.Client.IntrospectAsync(untouched, BackChannel.C1Basic));
        }

        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM revoked_access_tokens"));
        replicas.AssertNoSecretsInOutput(_tokens);
        Step("done");
    }

    // (successor published before it signs; old tokens keep verifying), RFC 8414 §3.3 (one signing
    // key across replicas), ADR 0011 (a trigger fires on one replica only: no duplicate successor); ASVS 16.2.5.
    [Fact]
    public async Task Scheduled_rotation_switches_every_replica_to_one_successor_created_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var replicas = new ReplicaSet(database.ConnectionString, ShortRotation);
        // A first; B and C together once A has run the job, as in a rolling deploy: each start declares
        // the recurring job again (the same schedule) while another replica is running it.
        var first = await replicas.StartAsync("A");
        await Poll.UntilAsync(
            () => Scheduling.RunsAsync(database, Scheduling.RotationJob),
            runs => runs.Any(r => r.EndedAt is not null),
            TimeSpan.FromSeconds(30),
            "A to run the rotation job",
            runs => $"{runs.Count} runs started. Output:\n{first.Process.Output}");
        Replica[] all = [first, .. await replicas.StartAsync("B", "C")];
        Step($"replicas {string.Join(", ", all.Select(r => r.ToString()))} ready");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);

        // One token from each replica, all signed with the same key (again if a switch fell in between).
        var before = new List<string>();
        for (var attempt = 0; attempt < 3 && (before.Count == 0 || before.Select(ReplicaProbe.KeyId).Distinct().Count() > 1); attempt++)
        {
            before.Clear();
            foreach (var replica in all)
            {
                before.Add(await IssueAsync(replica, TestClients.C1, TestClients.C1Secret));
            }
        }

        var initialKid = ReplicaProbe.KeyId(before[0]);
        Assert.All(before, t => Assert.Equal(initialKid, ReplicaProbe.KeyId(t)));

        // Watch every replica's JWKS and signing key until all sign with a successor. "Seen" is taken
        // when a JWKS answer arrived, "signed" when the token request was sent: a conservative order.
        var seenInJwks = new Dictionary<(string Replica, string Kid), DateTime>();
        DateTime? firstSignedAt = null;
        var signing = new string[all.Length];
        while (true)
        {
            foreach (var replica in all)
            {
                foreach (var kid in ReplicaProbe.KeyIds(await replica.JwksAsync()))
                {
                    seenInJwks.TryAdd((replica.Name, kid), DateTime.UtcNow);
                }
            }

            for (var i = 0; i < all.Length; i++)
            {
                var sentAt = DateTime.UtcNow;
                var token = await IssueAsync(all[i], TestClients.C1, TestClients.C1Secret);
                signing[i] = ReplicaProbe.KeyId(token);
                if (signing[i] != initialKid)
                {
                    firstSignedAt ??= sentAt;
                    Assert.Equal("ES256", AccessTokens.Read(token).Alg);
                }
            }

            if (signing.All(kid => kid != initialKid))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"Within 60 s not every replica signed with a new key (signing: {string.Join(", ", signing)}). Output:\n{replicas.AllOutput}");
            await Task.Delay(250);
        }

        Step($"every replica signs with {signing[0]}");

        // One successor, the same on every replica.
        var newKid = Assert.Single(signing.Distinct());

        // It was in every replica's JWKS before any replica signed with it.
        foreach (var replica in all)
        {
            Assert.True(seenInJwks.TryGetValue((replica.Name, newKid), out var seenAt) && seenAt < firstSignedAt,
                $"{replica} did not publish {newKid} before it signed with it");
        }

        // Tokens from before the switch still verify everywhere, and still introspect active.
        foreach (var replica in all)
        {
            var jwks = await replica.JwksAsync();
            Assert.Contains(initialKid, ReplicaProbe.KeyIds(jwks));
            foreach (var token in before)
            {
                await AccessTokens.AssertValidAsync(token, jwks, Issuer, Issuer);
                await BackChannel.ActiveAsync(await replica.Client.IntrospectAsync(token, BackChannel.C1Basic));
            }
        }

        // The database: the old key retired, exactly one successor created for this rotation, and per
        // algorithm never two keys generated by one trigger (they would be seconds apart at most; the
        // schedule puts 20 s between successors).
        var keys = await SigningKeysAsync(database);
        var oldKey = Assert.Single(keys, k => k.KeyId == initialKid);
        var newKey = Assert.Single(keys, k => k.KeyId == newKid);
        Assert.Equal(2, oldKey.State);
        Assert.Equal(1, newKey.State);
        var createdForThisRotation = keys.Where(k => k.Algorithm == "ES256" && k.CreatedAt > oldKey.CreatedAt && k.CreatedAt <= newKey.ActivatedAt).ToList();
        Assert.True(createdForThisRotation.Count == 1, $"{createdForThisRotation.Count} ES256 successors were created for one rotation:\n{Describe(keys)}");
        Assert.True(newKey.ActivatedAt - newKey.CreatedAt >= TimeSpan.FromSeconds(8),
            $"{newKid} signed {(newKey.ActivatedAt - newKey.CreatedAt)?.TotalSeconds:0.0} s after it was created; the propagation time is 8 s");
        foreach (var algorithm in new[] { "ES256", "RS256", "EdDSA" })
        {
            var ofAlgorithm = keys.Where(k => k.Algorithm == algorithm).OrderBy(k => k.CreatedAt).ToList();
            Assert.True(ofAlgorithm.Count(k => k.State == 1) == 1, $"{algorithm}: not exactly one active key:\n{Describe(keys)}");
            Assert.True(ofAlgorithm.Count(k => k.State == 0) <= 1, $"{algorithm}: more than one pending key:\n{Describe(keys)}");
            Assert.True(ofAlgorithm.Count(k => k.State == 2) >= 1, $"{algorithm}: did not rotate:\n{Describe(keys)}");
            for (var i = 1; i < ofAlgorithm.Count; i++)
            {
                Assert.True(ofAlgorithm[i].CreatedAt - ofAlgorithm[i - 1].CreatedAt >= TimeSpan.FromSeconds(5),
                    $"{algorithm}: two keys created within 5 s of each other (a trigger ran on two replicas):\n{Describe(keys)}");
            }
        }

        // The logs agree: one replica published and switched, and none lost a race.
        var output = replicas.AllOutput;
        Assert.Equal(1, Occurrences(output, $"Signing key {newKid} (ES256) published"));
        Assert.Equal(1, Occurrences(output, $"Signing key {newKid} (ES256) now signs"));
        Assert.True(Occurrences(output, "Another replica rotated the signing keys first") == 0,
            $"Two replicas ran the rotation at the same moment (one lost the race). Runs:\n{RunTimeline(await Scheduling.RunsAsync(database, Scheduling.RotationJob))}");

        replicas.AssertNoSecretsInOutput(_tokens);

        // Once per occurrence, from Hangfire's record: the three replicas share one storage, and every
        // run of the rotation job was taken by one worker once (one Processing state per job) and
        // succeeded (a run that waited too long for another run's lock would have failed). That runs
        // never overlapped is shown above: no replica lost a rotation race.
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"));
        var runs = await Scheduling.RunsAsync(database, Scheduling.RotationJob);
        Step($"rotation runs: {runs.Count}, per server: {string.Join(" + ", runs.GroupBy(r => r.ServerId).Select(g => g.Count()))}");
        Assert.NotEmpty(runs);
        Assert.True(runs.Select(r => r.JobId).Distinct().Count() == runs.Count,
            $"A rotation job was taken by more than one worker:\n{RunTimeline(runs)}");
        Assert.True(runs.All(r => r.Outcome is null or "Succeeded"), $"A rotation run did not succeed:\n{RunTimeline(runs)}");
        Step("done");
    }

    // RFC 7517 (gone from every replica's JWKS, re-issued with a new kid, old tokens refused), docs/operations.md
    // "Emergency revocation"; a single replacement key despite every replica noticing at once; ASVS 16.2.5.
    [Fact]
    public async Task An_emergency_key_revocation_reaches_every_replica_and_yields_one_new_key()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var replicas = new ReplicaSet(database.ConnectionString);
        var all = await replicas.StartAsync("A", "B");
        Step($"replicas {string.Join(", ", all.Select(r => r.ToString()))} ready");

        var before = new List<string>();
        foreach (var replica in all)
        {
            before.Add(await IssueAsync(replica, TestClients.C1, TestClients.C1Secret));
        }

        var compromised = ReplicaProbe.KeyId(before[0]);
        Assert.All(before, t => Assert.Equal(compromised, ReplicaProbe.KeyId(t)));
        var rsaKid = await database.ScalarAsync<string>("SELECT key_id FROM signing_keys WHERE state = 1 AND algorithm = 'RS256'");

        Assert.Equal(compromised, await database.ScalarAsync<string>(
            "UPDATE signing_keys SET state = 4, revoked_at = now(), version = version + 1 WHERE state = 1 AND algorithm = 'ES256' RETURNING key_id"));

        // Until a replica has the new key, a token request may answer 503 (documented), never 500.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var signing = new string?[all.Length];
        var published = new string[all.Length][];
        while (true)
        {
            for (var i = 0; i < all.Length; i++)
            {
                published[i] = ReplicaProbe.KeyIds(await all[i].JwksAsync());
                using var response = await all[i].Client.PostC1Async();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var token = (await response.JsonAsync()).GetProperty("access_token").GetString()!;
                    _tokens.Enqueue(token);
                    signing[i] = ReplicaProbe.KeyId(token);
                }
                else
                {
                    await BackChannel.UnavailableAsync(response, database.Name);
                    signing[i] = null;
                }
            }

            if (published.All(kids => !kids.Contains(compromised)) && signing.All(kid => kid is not null && kid != compromised))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"Within 30 s not every replica dropped {compromised} (signing: {string.Join(", ", signing)}; published: " +
                $"{string.Join(" | ", published.Select(p => string.Join(",", p)))}). Output:\n{replicas.AllOutput}");
            await Task.Delay(200);
        }

        Step($"every replica dropped {compromised} and signs with {signing[0]}");
        var replacement = Assert.Single(signing.Distinct())!;
        foreach (var replica in all)
        {
            var jwks = await replica.JwksAsync();
            Assert.DoesNotContain(compromised, ReplicaProbe.KeyIds(jwks));
            Assert.Contains(replacement, ReplicaProbe.KeyIds(jwks));
            Assert.Contains(rsaKid, ReplicaProbe.KeyIds(jwks));
            foreach (var token in before)
            {
                await BackChannel.InactiveAsync(await replica.Client.IntrospectAsync(token, BackChannel.C1Basic), $"{replica}, token of the revoked key");
                Assert.False((await AccessTokens.ValidateAsync(token, jwks, Issuer, Issuer)).IsValid, $"A token of the revoked key verifies against {replica}'s JWKS");
            }

            var fresh = await IssueAsync(replica, TestClients.C1, TestClients.C1Secret);
            Assert.Equal(replacement, ReplicaProbe.KeyId(fresh));
            foreach (var verifier in all)
            {
                await AccessTokens.AssertValidAsync(fresh, await verifier.JwksAsync(), Issuer, Issuer);
                await BackChannel.ActiveAsync(await verifier.Client.IntrospectAsync(fresh, BackChannel.C1Basic));
            }
        }

        // Every replica noticed; exactly one key was made, and RS256 was left alone.
        var keys = await SigningKeysAsync(database);
        Assert.Equal(4, Assert.Single(keys, k => k.KeyId == compromised).State);
        var es256 = keys.Where(k => k.Algorithm == "ES256").ToList();
        Assert.True(es256.Count == 2, $"Expected the revoked ES256 key and one replacement:\n{Describe(keys)}");
        Assert.Equal(replacement, Assert.Single(es256, k => k.State == 1).KeyId);
        Assert.Equal(rsaKid, Assert.Single(keys, k => k.Algorithm == "RS256" && k.State == 1).KeyId);
        Assert.Equal(0, Occurrences(replicas.AllOutput, "failed with 500"));

        replicas.AssertNoSecretsInOutput(_tokens);
        Step("done");
    }

    // ASVS 2.3.3 / CVE-2026-9802 flavour: a replica SIGKILLed under load; the survivor serves on, nothing issued or
    // revoked before the crash is lost, and a replacement joins without new keys or duplicate clients; ASVS 16.2.5.
    [Fact]
    public async Task A_replica_killed_under_load_leaves_the_others_serving_and_its_replacement_joins()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var replicas = new ReplicaSet(database.ConnectionString);
        var all = await replicas.StartAsync("A", "B");
        Step($"replicas {string.Join(", ", all.Select(r => r.ToString()))} ready");
        var (a, b) = (all[0], all[1]);

        const string CountsSql =
            "SELECT (SELECT count(*) FROM clients) || '/' || (SELECT count(*) FROM client_secrets) || '/' || (SELECT count(*) FROM users)";
        var counts = await database.ScalarAsync<string>(CountsSql);
        Assert.StartsWith($"{TestClients.SeedDocument()["clients"]!.AsArray().Count}/", counts, StringComparison.Ordinal);
        var keysBefore = Describe(await SigningKeysAsync(database));
        var signingKid = ReplicaProbe.KeyId(await IssueAsync(b, TestClients.C1, TestClients.C1Secret));

        var revoked = await IssueAsync(a, TestClients.C1, TestClients.C1Secret);
        await BackChannel.RevokedAsync(await a.Client.RevokeAsync(revoked, BackChannel.C1Basic));

        // Token requests to A and to B in tight loops; A is killed while its requests are in flight.
        // Requests to A may fail once it is dead; every request to B must succeed throughout.
        var issuedByA = new ConcurrentQueue<string>();
        var issuedByB = new ConcurrentQueue<string>();
        var failuresAtB = new ConcurrentQueue<string>();
        using var stopLoad = new CancellationTokenSource();
        var loadOnA = Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                try
                {
                    using var response = await a.Client.PostC1Async();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        var token = (await response.JsonAsync()).GetProperty("access_token").GetString()!;
                        _tokens.Enqueue(token);
                        issuedByA.Enqueue(token);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    // The connection died with the process: expected once it is killed.
                    await Task.Delay(20);
                }
            }
        });
        var loadOnB = Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                try
                {
                    using var response = await b.Client.PostTokenAsync(
                        Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.C2, TestClients.C2Secret));
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        var token = JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
                        _tokens.Enqueue(token);
                        issuedByB.Enqueue(token);
                    }
                    else
                    {
                        failuresAtB.Enqueue($"{(int)response.StatusCode} {text}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    failuresAtB.Enqueue(ex.Message);
                }
            }
        });
        var loadDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (issuedByA.Count < 20 && DateTime.UtcNow < loadDeadline)
        {
            await Task.Delay(20);
        }

        Assert.True(issuedByA.Count >= 20, $"A issued only {issuedByA.Count} tokens under load");
        Step($"{issuedByA.Count} tokens from A under load; killing A");
        await ReplicaSet.KillAsync(a);
        var issuedByBWhenKilled = issuedByB.Count;
        Step("A killed");
        var afterKill = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (issuedByB.Count < issuedByBWhenKilled + 20 && DateTime.UtcNow < afterKill)
        {
            await Task.Delay(20);
        }

        stopLoad.Cancel();
        await Task.WhenAll(loadOnA, loadOnB);
        Assert.True(failuresAtB.IsEmpty, $"B failed {failuresAtB.Count} requests while A was killed, e.g. {failuresAtB.FirstOrDefault()}");
        Assert.True(issuedByB.Count >= issuedByBWhenKilled + 20, $"B issued only {issuedByB.Count - issuedByBWhenKilled} tokens after A was killed");

        // B serves on: ready, issuing, and it honours everything A issued and revoked before it died.
        Assert.Equal(HttpStatusCode.OK, (await b.Client.GetAsync("/readyz")).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(signingKid, ReplicaProbe.KeyId(await IssueAsync(b, TestClients.C2, TestClients.C2Secret)));
        }

        var fromA = issuedByA.ToArray();
        foreach (var token in fromA.Take(3).Concat(fromA.TakeLast(10)))
        {
            await BackChannel.ActiveAsync(await b.Client.IntrospectAsync(token, BackChannel.C1Basic));
        }

        Assert.All(issuedByB, token => Assert.Equal(signingKid, ReplicaProbe.KeyId(token)));
        await BackChannel.ActiveAsync(await b.Client.IntrospectAsync(issuedByB.Last(), BackChannel.C2Basic));

        await BackChannel.InactiveAsync(await b.Client.IntrospectAsync(revoked, BackChannel.C1Basic), "B, token revoked at A before A died");

        // A replacement on the same database joins: same keys (none generated), seed re-applied without
        // duplicates, and it knows the revocation.
        var replacement = await replicas.StartAsync("A2");
        Step($"replacement {replacement} ready");
        Assert.Equal(keysBefore, Describe(await SigningKeysAsync(database)));
        Assert.Equal(counts, await database.ScalarAsync<string>(CountsSql));
        var fromReplacement = await IssueAsync(replacement, TestClients.C1, TestClients.C1Secret);
        Assert.Equal(signingKid, ReplicaProbe.KeyId(fromReplacement));
        Assert.Equal(ReplicaProbe.KeyIds(await b.JwksAsync()), ReplicaProbe.KeyIds(await replacement.JwksAsync()));
        await BackChannel.InactiveAsync(await replacement.Client.IntrospectAsync(revoked, BackChannel.C1Basic), "the replacement, token revoked at A");
        await BackChannel.ActiveAsync(await replacement.Client.IntrospectAsync(fromA[^1], BackChannel.C1Basic));
        await BackChannel.ActiveAsync(await b.Client.IntrospectAsync(fromReplacement, BackChannel.C1Basic));
        await AccessTokens.AssertValidAsync(fromReplacement, await b.JwksAsync(), Issuer, Issuer);

        replicas.AssertNoSecretsInOutput(_tokens);
        Step("done");
    }

    // ADR 0015 "a replica killed mid-run": the clean-up job is held mid-run on one replica (the test locks a
    // table the job deletes from), that replica is SIGKILLed, and the same job is then run to success by
    // the other replica once the dead one's claim has lapsed (sliding invisibility timeout, 1 min); no
    // secret in any process's output.
    [Fact]
    public async Task A_job_whose_replica_is_killed_mid_run_is_run_again_by_another_replica()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var replicas = new ReplicaSet(database.ConnectionString, new Dictionary<string, string> { ["Auth__RevocationPurgeIntervalSeconds"] = "2" });
        var victim = await replicas.StartAsync("A");
        await Poll.UntilAsync(
            () => Scheduling.RunsAsync(database, Scheduling.PurgeJob),
            runs => runs.Any(r => r.Outcome == "Succeeded"),
            TimeSpan.FromSeconds(30),
            "a first clean-up run",
            runs => $"{runs.Count} runs:\n{RunTimeline(runs)}");

        // Hold A's next run mid-job: it blocks on the denylist table until the lock is released.
        await using var blocker = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await blocker.OpenAsync();
        var hold = await blocker.BeginTransactionAsync();
        await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE revoked_access_tokens IN ACCESS EXCLUSIVE MODE", blocker, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        await Poll.UntilAsync(
            () => database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"),
            waiting => waiting > 0,
            TimeSpan.FromSeconds(30),
            "a clean-up run of A to wait for the locked table",
            waiting => $"{waiting} waiting");

        // B joins while A's run is held; A's earliest run still in progress is the held one.
        var survivor = await replicas.StartAsync("B");
        Step($"replicas {victim}, {survivor} ready; A's run held");
        var stuck = (await Scheduling.RunsAsync(database, Scheduling.PurgeJob)).First(r => r.Outcome is null);
        Assert.Equal(victim.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), stuck.ServerId.Split(':')[^2]);
        await ReplicaSet.KillAsync(victim);
        await hold.RollbackAsync();
        Step($"{victim} killed during job {stuck.JobId}");

        // The same job, run again to success by the survivor; later runs succeed too.
        var runs = await Poll.UntilAsync(
            () => Scheduling.RunsAsync(database, Scheduling.PurgeJob),
            runs => runs.Any(r => r.JobId == stuck.JobId && r.ServerId != stuck.ServerId && r.Outcome == "Succeeded")
                && runs.Any(r => r.StartedAt > stuck.StartedAt && r.JobId != stuck.JobId && r.Outcome == "Succeeded"),
            TimeSpan.FromSeconds(150),
            $"job {stuck.JobId} to be run again by {survivor}",
            runs => RunTimeline(runs));
        Step($"job {stuck.JobId} run again by {survivor}; runs:\n{RunTimeline(runs.Where(r => r.StartedAt >= stuck.StartedAt))}");
        Assert.Equal([null, "Succeeded"], runs.Where(r => r.JobId == stuck.JobId).Select(r => r.Outcome));
        Assert.Equal(HttpStatusCode.OK, (await survivor.Client.GetAsync("/readyz")).StatusCode);

        replicas.AssertNoSecretsInOutput(_tokens);
        Step("done");
    }

    // Fail closed (OWASP ASVS 16.5.3): readiness down, liveness up, 503 rather than active:true, so the
    // replica takes itself out of rotation; a revocation that could not be stored is not reported as done
    // (GHSA-7mqr-2v3q-v2wm); and recovery without a restart when PostgreSQL comes back; ASVS 16.2.5.
    [Fact]
    public async Task With_PostgreSQL_stopped_the_replica_fails_closed_and_recovers_when_it_returns()
    {
        await using var postgres = await DedicatedPostgres.StartAsync();
        var databaseName = "authservice_outage_" + Guid.NewGuid().ToString("N");
        var connectionString = await postgres.CreateDatabaseAsync(databaseName);
        await using var replicas = new ReplicaSet(connectionString);
        Step($"dedicated PostgreSQL on port {postgres.Port}");
        var a = await replicas.StartAsync("A");
        Step($"replica {a} ready");

        var token = await IssueAsync(a, TestClients.C1, TestClients.C1Secret);
        await BackChannel.ActiveAsync(await a.Client.IntrospectAsync(token, BackChannel.C1Basic));

        await postgres.StopAsync();
        Step("PostgreSQL stopped");

        // Not ready (a load balancer takes it out), but alive (no restart loop).
        var notReady = await PollAsync(a, "/readyz", s => s != HttpStatusCode.OK, TimeSpan.FromSeconds(15), "/readyz to fail with PostgreSQL stopped");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
        Assert.Equal("Unhealthy", notReady.Body);
        using (var live = await a.Client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        }

        // Let the client cache (1 s) expire, so every request needs the database.
        await Task.Delay(TimeSpan.FromSeconds(2));

        using (var revoke = await a.Client.RevokeAsync(token, BackChannel.C1Basic))
        {
            await BackChannel.UnavailableAsync(revoke, databaseName);
            AssertNoLeak(await revoke.Content.ReadAsStringAsync(), databaseName, postgres.Port);
        }

        using (var introspect = await a.Client.IntrospectAsync(token, BackChannel.C1Basic))
        {
            await BackChannel.UnavailableAsync(introspect, databaseName);
            AssertNoLeak(await introspect.Content.ReadAsStringAsync(), databaseName, postgres.Port);
        }

        foreach (var (clientId, secret) in new[] { (TestClients.C2, TestClients.C2Secret), (TestClients.C1, TestClients.C1Secret) })
        {
            using var response = await a.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(clientId, secret));
            await BackChannel.UnavailableAsync(response, databaseName);
            AssertNoLeak(await response.Content.ReadAsStringAsync(), databaseName, postgres.Port);
        }

        // Metadata and keys are in memory and may be served (ASVS 16.5.3); they must not leak either.
        foreach (var path in new[] { "/.well-known/openid-configuration", "/.well-known/jwks.json" })
        {
            using var response = await a.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertNoLeak(await response.Content.ReadAsStringAsync(), databaseName, postgres.Port);
        }

        // PostgreSQL comes back on the same port: the same process recovers, no restart.
        await postgres.StartAgainAsync();
        Step("PostgreSQL started again");
        await PollAsync(a, "/readyz", s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/readyz to recover after PostgreSQL restarted");
        Assert.False(a.Process.HasExited);

        var afterwards = await IssueAsync(a, TestClients.C2, TestClients.C2Secret);
        await AccessTokens.AssertValidAsync(afterwards, await a.JwksAsync(), Issuer, Issuer);
        await BackChannel.ActiveAsync(await a.Client.IntrospectAsync(afterwards, BackChannel.C2Basic));

        // The revocation answered 503 did not happen (GHSA-7mqr-2v3q-v2wm); done again now, it does.
        await BackChannel.ActiveAsync(await a.Client.IntrospectAsync(token, BackChannel.C1Basic));
        await BackChannel.RevokedAsync(await a.Client.RevokeAsync(token, BackChannel.C1Basic));
        await BackChannel.InactiveAsync(await a.Client.IntrospectAsync(token, BackChannel.C1Basic), "after recovery and revocation");

        replicas.AssertNoSecretsInOutput(_tokens);
        Step("done");
    }

    /// <summary>Polls a replica's introspection until the token reads inactive (5 s at most), and prints how long that took.</summary>
    private async Task SeenRevokedAsync(Replica replica, string token, System.Net.Http.Headers.AuthenticationHeaderValue caller, string what)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var attempts = 0;
        await Poll.UntilAsync(
            async () =>
            {
                attempts++;
                using var response = await replica.Client.IntrospectAsync(token, caller);
                return (await response.Content.ReadAsStringAsync()).Contains("\"active\":false", StringComparison.Ordinal);
            },
            inactive => inactive,
            TimeSpan.FromSeconds(5),
            what,
            _ => "still active");
        Step($"{what}: inactive after {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0} ms ({attempts} introspections)");
    }

    /// <summary>Marks a phase in the test's output, with the time since the test started (runtime budget).</summary>
    private void Step(string what) => log.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");

    private async Task<string> IssueAsync(Replica replica, string clientId, string secret)
    {
        using var response = await replica.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(clientId, secret));
        var body = await OAuthAssert.TokenSuccessAsync(response);
        var token = body.GetProperty("access_token").GetString()!;
        _tokens.Enqueue(token);
        return token;
    }

    private static async Task<(HttpStatusCode Status, string Body)> PollAsync(
        Replica replica, string path, Func<HttpStatusCode, bool> until, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await replica.Client.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                if (until(response.StatusCode))
                {
                    return (response.StatusCode, body);
                }

                last = $"{(int)response.StatusCode} {body}";
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for {what} on {replica} (last: {last}). Output:\n{replica.Process.Output}");
        return default;
    }

    /// <summary>No stack trace, exception, SQL or connection detail in a response body.</summary>
    private static void AssertNoLeak(string body, string databaseName, int port)
    {
        foreach (var marker in new[] { "   at ", "Exception", "Npgsql", "SELECT ", "INSERT ", "UPDATE ", "signing_keys", "hangfire.", databaseName, $":{port}", "Host=" })
        {
            Assert.False(body.Contains(marker, StringComparison.OrdinalIgnoreCase), $"A response body contains \"{marker}\": {body}");
        }
    }

    /// <summary>Each JWK of a set as its own compact JSON, sorted by kid: equal sets compare equal whatever the order.</summary>
    private static string[] CanonicalKeys(string jwks) =>
        [.. JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray()
            .OrderBy(k => k.GetProperty("kid").GetString(), StringComparer.Ordinal)
            .Select(k => JsonSerializer.Serialize(k))];

    /// <summary>The runs of a job, one per line: when, how long, on which Hangfire server.</summary>
    private static string RunTimeline(IEnumerable<JobRun> runs) =>
        string.Join("\n", runs.Select(r => $"job {r.JobId}: {r.StartedAt:HH:mm:ss.fff} to {r.EndedAt:HH:mm:ss.fff} {r.Outcome ?? "running"} on {r.ServerId}"));

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private sealed record KeyRow(string KeyId, string Algorithm, int State, DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt);

    private static async Task<List<KeyRow>> SigningKeysAsync(TestDatabase database) =>
        [.. (await database.QueryAsync("SELECT key_id, algorithm, state, created_at, activated_at FROM signing_keys ORDER BY algorithm, created_at, key_id"))
            .Select(r => new KeyRow((string)r[0], (string)r[1], (int)r[2], ToOffset(r[3]), r[4] is DBNull ? null : ToOffset(r[4])))];

    private static DateTimeOffset ToOffset(object value) => value switch
    {
        DateTimeOffset offset => offset,
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => throw new InvalidOperationException($"Unexpected timestamp {value.GetType()}"),
    };

    private static string Describe(IEnumerable<KeyRow> keys) =>
        string.Join("\n", keys.Select(k => $"{k.Algorithm} {k.KeyId} state={k.State} created={k.CreatedAt:HH:mm:ss.fff} activated={k.ActivatedAt:HH:mm:ss.fff}"));
}
