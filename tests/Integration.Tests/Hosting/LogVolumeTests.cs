using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Hosting;

/// <summary>
/// docs/adr/0041: what the built server writes to its console (the operator's log) when things go as expected and when
/// the database goes away, counted by the console logger's level prefixes. A lost race is not an error (anyone holding
/// one refresh token could otherwise fill the error log: OWASP ASVS 16.3.4 wants security events logged, not a flood
/// that hides them), the first start on an empty database writes no error, and an outage writes at most one error entry
/// per failing request, never the connection string's password (ASVS 16.2.5).
/// </summary>
public sealed class LogVolumeTests(ITestOutputHelper log)
{
    private const int Racers = 200;

    private const int CodeRacers = 50;

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Parallel_refreshes_of_one_token_and_redemptions_of_one_code_write_no_error_entry_and_one_security_warning_per_detection()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var replicas = new ReplicaSet(database.ConnectionString);
        await File.WriteAllTextAsync(replicas.SeedFile, SignInClients.SeedJson());
        var a = await replicas.StartAsync("A");
        var (browser, jar) = EndSessionFlows.NewBrowser(a.BaseAddress);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, a.Client, "openid offline_access");
        var refreshToken = tokens.RefreshToken!;
        Step("signed in");

        // RFC 9700 §4.14.2: one use of one refresh token succeeds; every other is invalid_grant (RFC 6749 §5.2), never a 5xx.
        var entries = await RaceWithoutErrorEntriesAsync(a, Racers, "refresh_token_reuse_detected",
            () => CodeFlowTokens.RefreshAsync(a.Client, SignInClients.CW, SignInClients.CWSecret, refreshToken));
        Step("raced");

        // Expected: one security warning per loser that found the token already rotated while the family was still live (it
        // revokes the family); losers that read the family after the revocation find it revoked, which is no new detection.
        // So at least one (the first loser after the winner's commit) and at most one per loser, each naming the family.
        var reuse = entries.Where(e => e.Text.Contains("refresh_token_reuse_detected", StringComparison.Ordinal)).ToList();
        Assert.InRange(reuse.Count, 1, Racers - 1);
        Assert.All(reuse, e => Assert.Equal("warn", e.Level));
        var family = await database.ScalarAsync<Guid>("SELECT family_id FROM refresh_tokens WHERE token_hash = @h", ("h", AuthService.Domain.Common.OpaqueToken.HashOf(refreshToken)));
        Assert.All(reuse, e => Assert.Contains(family.ToString(), e.Text, StringComparison.Ordinal));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM refresh_token_families WHERE id = @id AND revoked_at IS NOT NULL", ("id", family)));

        // One code redeemed in parallel (RFC 6749 §4.1.2: used once; OAuth 2.1 §4.1.3): one token response, the other
        // redemptions invalid_grant, each a lost save or a detected replay. Expected: no error entry and exactly one
        // code_replay_detected warning: the replay is recorded on the code once, and only the request whose save recorded it
        // logs it and revokes the grant (a concurrent replay that loses that save reruns and finds it recorded).
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid offline_access", pkce);
        entries = await RaceWithoutErrorEntriesAsync(a, CodeRacers, "code_replay_detected",
            () => CodeFlowTokens.RedeemAsync(a.Client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect));
        Assert.Equal(1, entries.Count(e => e.Level == "warn" && e.Text.Contains("code_replay_detected", StringComparison.Ordinal)));

        replicas.AssertNoSecretsInOutput([tokens.AccessToken]);
        Assert.DoesNotContain(refreshToken, a.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(code, a.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_start_on_an_empty_database_writes_no_error_entry()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var replicas = new ReplicaSet(database.ConnectionString);
        var a = await replicas.StartAsync("A");
        Step("ready");

        // Fully started: a token is issued, and the job server has announced itself (its first database round trips).
        using (var response = await a.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.C1, TestClients.C1Secret)))
        {
            await OAuthAssert.TokenSuccessAsync(response);
        }

        Assert.True(await a.Process.WaitForOutputAsync("Server authservice:", TimeSpan.FromSeconds(30)), $"The job server did not start. Output:\n{a.Process.Output}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var errors = ConsoleLogEntries.Errors(a.Process.Output);
        Assert.True(errors.Count == 0, $"The first start wrote {errors.Count} error entries: {ConsoleLogEntries.Describe(errors)}");
        Assert.Contains("Applying", a.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_outage_writes_at_most_one_error_entry_per_failing_request_and_never_the_password()
    {
        await using var postgres = await DedicatedPostgres.StartAsync();
        var databaseName = "authservice_logs_" + Guid.NewGuid().ToString("N");

        // The cluster trusts local connections, so this password is never checked, but it is in every connection the server makes.
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var connectionString = await postgres.CreateDatabaseAsync(databaseName) + $";Password={password}";
        await using var replicas = new ReplicaSet(connectionString);
        var a = await replicas.StartAsync("A");
        var token = (await OAuthAssert.TokenSuccessAsync(await a.Client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(TestClients.C1, TestClients.C1Secret)))).GetProperty("access_token").GetString()!;
        Step("ready");

        await postgres.StopAsync();
        var before = a.Process.Output.Length;
        Step("PostgreSQL stopped");

        // Let the client cache (1 s) expire, so that every request needs the database.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var requests = 0;
        for (var round = 0; round < 3; round++)
        {
            foreach (var (clientId, secret) in new[] { (TestClients.C1, TestClients.C1Secret), (TestClients.C2, TestClients.C2Secret) })
            {
                requests++;
                using var response = await a.Client.PostTokenAsync(Protocol.Form(("grant_type", "client_credentials")), Protocol.Basic(clientId, secret));
                await BackChannel.UnavailableAsync(response, databaseName);
            }

            requests++;
            using var introspect = await a.Client.IntrospectAsync(token, BackChannel.C1Basic);
            await BackChannel.UnavailableAsync(introspect, databaseName);

            requests++;
            using var ready = await a.Client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        // Long enough for every background worker to meet the outage at least once (their polls are 1 to 5 s apart).
        await Task.Delay(TimeSpan.FromSeconds(8));
        Step($"{requests} requests answered 503");
        var entries = ConsoleLogEntries.Parse(a.Process.Output[before..]);
        var errors = entries.Where(e => e.IsError).ToList();
        log.WriteLine($"{requests} requests; all entries: {ConsoleLogEntries.Describe(entries)}");
        Assert.True(errors.Count <= requests, $"{requests} failing requests wrote {errors.Count} error entries: {ConsoleLogEntries.Describe(errors)}");
        Assert.True(errors.Count > 0, $"An outage must be visible in the log. Output:\n{a.Process.Output[before..]}");
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) && e.IsError);
        Assert.All(errors, e => Assert.Contains("database", e.Text, StringComparison.OrdinalIgnoreCase));

        await postgres.StartAgainAsync();
        await Poll.UntilAsync(async () =>
        {
            using var ready = await a.Client.GetAsync("/readyz");
            return ready.StatusCode;
        }, s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/readyz to recover");
        Step("recovered");
        Assert.DoesNotContain(password, a.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=", a.Process.Output, StringComparison.OrdinalIgnoreCase);
        replicas.AssertNoSecretsInOutput([token]);
    }

    /// <summary>
    /// Sends <paramref name="count"/> requests at once; asserts exactly one 200 and <c>invalid_grant</c> for every other, then
    /// that the server's output since the first of them has no error entry, no EF Core entry and no stack trace. Returns
    /// those entries, read once <paramref name="securityEvent"/> has been written and the console logger had a moment to drain.
    /// </summary>
    private async Task<List<ConsoleLogEntry>> RaceWithoutErrorEntriesAsync(Replica replica, int count, string securityEvent, Func<Task<HttpResponseMessage>> send)
    {
        var before = replica.Process.Output.Length;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(async () =>
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, Error: response.StatusCode == HttpStatusCode.OK ? null : JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        })));
        var summary = string.Join("; ", outcomes.GroupBy(r => $"{(int)r.StatusCode} {r.Error}").Select(g => $"{g.Count()}x {g.Key}"));
        Assert.True(outcomes.Count(r => r.StatusCode == HttpStatusCode.OK) == 1, $"Expected exactly one 200: {summary}");
        Assert.True(outcomes.Count(r => r.StatusCode == HttpStatusCode.BadRequest && r.Error == "invalid_grant") == count - 1, $"Expected {count - 1}x invalid_grant: {summary}");

        await replica.Process.WaitForOutputAsync(securityEvent, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var entries = ConsoleLogEntries.Parse(replica.Process.Output[before..]);
        var errors = entries.Where(e => e.IsError).ToList();
        log.WriteLine($"{summary}; entries: {ConsoleLogEntries.Describe(entries).Split('\n')[0]}");
        Assert.True(errors.Count == 0, $"A lost race is not an error, yet the race wrote {errors.Count} error entries: {ConsoleLogEntries.Describe(errors)}");
        Assert.DoesNotContain(entries, e => e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Text.Contains("   at ", StringComparison.Ordinal));
        return entries;
    }

    private void Step(string what) => log.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
}
