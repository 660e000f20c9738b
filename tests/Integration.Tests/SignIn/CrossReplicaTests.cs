using System.Net;
using System.Text.Json;
using AuthService.Domain.Common;
using AuthService.Integration.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.SignIn;

/// <summary>
/// Two built servers, each its own OS process, on one PostgreSQL database, with the sign-in fixtures
/// (<see cref="SignInClients"/>) as their seed. The browser pages are driven over real HTTP against one
/// replica; token requests are spread round-robin over both.
/// </summary>
public sealed class CrossReplicaFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private ReplicaSet? _replicas;
    private int _generation;

    public TestDatabase Database => _database ?? throw new InvalidOperationException("Not started.");

    public ReplicaSet Replicas => _replicas ?? throw new InvalidOperationException("Not started.");

    /// <summary>The replicas serving now (a restart test replaces them).</summary>
    public Replica[] Current { get; set; } = [];

    /// <summary>A name for the next replica to start (A, B, then A2, B2, ...).</summary>
    public string NextName(string prefix) => $"{prefix}{Interlocked.Increment(ref _generation)}";

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _replicas = new ReplicaSet(_database.ConnectionString);

        // The set writes the standard clients; every replica reads the file at its start, so the sign-in
        // fixtures (users, code-flow clients) replace them before the first one starts.
        await File.WriteAllTextAsync(_replicas.SeedFile, SignInClients.SeedJson());
        Current = await _replicas.StartAsync("A", "B");
    }

    public async Task DisposeAsync()
    {
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

/// <summary>
/// One-time artefacts across replicas: ASVS 15.4.2 (one code redeemed in
/// parallel on both replicas: one token set at most), CVE-2026-1035 (one refresh token refreshed in
/// parallel on both replicas: at most one success, the family revoked everywhere afterwards), CVE-2026-9802 /
/// CVE-2026-9802 (a rotated refresh token and a used code stay refused after a rolling restart of every
/// replica). No request may end in a 5xx. Repeated a few times, as Keycloak repeats its race tests.
/// </summary>
public sealed class CrossReplicaTests(CrossReplicaFixture fixture, ITestOutputHelper log) : IClassFixture<CrossReplicaFixture>
{
    private const int Iterations = 5;

    [Fact]
    public async Task One_code_redeemed_ten_times_in_parallel_over_both_replicas_yields_exactly_one_token_set()
    {
        var replicas = fixture.Current;
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var pages = replicas[iteration % replicas.Length];
            var (browser, _) = EndSessionFlows.NewBrowser(pages.BaseAddress);
            using var __ = browser;
            var pkce = PkcePair.New();
            var code = await browser.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid offline_access", pkce);
            var familiesBefore = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM refresh_token_families");

            var outcomes = await RaceAsync(10, replicas, client =>
                CodeFlowTokens.RedeemAsync(client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect));

            log.WriteLine($"iteration {iteration} (pages on {pages.Name}): {Describe(outcomes)}");
            AssertNoServerErrors(outcomes);
            var successes = outcomes.Where(o => o.Status == HttpStatusCode.OK).ToList();
            Assert.True(successes.Count == 1, $"Iteration {iteration}: expected exactly one token response, got {successes.Count}: {Describe(outcomes)}");
            AssertOthersInvalidGrant(outcomes, iteration);

            // One code, one grant: exactly one refresh token family was started from it.
            var familiesAfter = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM refresh_token_families");
            Assert.Equal(familiesBefore + 1, familiesAfter);
            Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
                "SELECT count(*) FROM authorization_codes WHERE code_hash = @h AND redeemed_at IS NOT NULL", ("h", OpaqueToken.HashOf(code))));
        }
    }

    [Fact]
    public async Task One_refresh_token_refreshed_twenty_times_in_parallel_over_both_replicas_succeeds_at_most_once_and_the_family_ends()
    {
        var replicas = fixture.Current;
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var pages = replicas[iteration % replicas.Length];
            var (browser, jar) = EndSessionFlows.NewBrowser(pages.BaseAddress);
            using var __ = browser;
            var tokens = await EndSessionFlows.SignInAsync(browser, jar, pages.Client, "openid offline_access");
            var refreshToken = tokens.RefreshToken!;

            var outcomes = await RaceAsync(20, replicas, client =>
                CodeFlowTokens.RefreshAsync(client, SignInClients.CW, SignInClients.CWSecret, refreshToken));

            log.WriteLine($"iteration {iteration} (pages on {pages.Name}): {Describe(outcomes)}");
            AssertNoServerErrors(outcomes);
            var successes = outcomes.Where(o => o.Status == HttpStatusCode.OK).ToList();
            Assert.True(successes.Count <= 1, $"Iteration {iteration}: one refresh token was exchanged {successes.Count} times: {Describe(outcomes)}");
            AssertOthersInvalidGrant(outcomes, iteration);

            // CVE-2026-1035: afterwards the whole family is revoked, as every replica sees it: no live chain.
            var family = (Guid)Assert.Single(await fixture.Database.QueryAsync(
                "SELECT family_id FROM refresh_tokens WHERE token_hash = @h", ("h", OpaqueToken.HashOf(refreshToken))))[0];
            Assert.Equal(1L, await fixture.Database.ScalarAsync<long>(
                "SELECT count(*) FROM refresh_token_families WHERE id = @id AND revoked_at IS NOT NULL", ("id", family)));
            foreach (var replica in replicas)
            {
                await EndSessionFlows.AssertRefreshRefusedAsync(replica.Client, refreshToken, $"{replica.Name}: the raced refresh token");
                foreach (var success in successes)
                {
                    var body = JsonDocument.Parse(success.Body).RootElement;
                    await EndSessionFlows.AssertRefreshRefusedAsync(replica.Client, body.GetProperty("refresh_token").GetString()!,
                        $"{replica.Name}: the refresh token the race's winner received");
                    using var userInfo = await EndSessionFlows.UserInfoAsync(replica.Client, body.GetProperty("access_token").GetString()!);
                    await EndSessionFlows.AssertBearerErrorAsync(userInfo, HttpStatusCode.Unauthorized, "invalid_token",
                        $"{replica.Name}: the access token the race's winner received");
                }
            }
        }
    }

    [Fact]
    public async Task After_a_rolling_restart_of_every_replica_a_rotated_refresh_token_and_a_used_code_are_still_refused()
    {
        var (a, b) = (fixture.Current[0], fixture.Current[1]);
        var (browser, jar) = EndSessionFlows.NewBrowser(a.BaseAddress);
        using var _ = browser;
        var pkce = PkcePair.New();
        var code = await browser.CodeAsync(SignInClients.CW, SignInClients.CWRedirect, "openid offline_access", pkce);
        var first = await OAuthAssert.TokenSuccessAsync(
            await CodeFlowTokens.RedeemAsync(a.Client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect), codeFlow: true);
        var rt1 = first.GetProperty("refresh_token").GetString()!;
        var second = await OAuthAssert.TokenSuccessAsync(await CodeFlowTokens.RefreshAsync(b.Client, SignInClients.CW, SignInClients.CWSecret, rt1), codeFlow: true);
        var rt2 = second.GetProperty("refresh_token").GetString()!;

        // Rolling restart: each replica is killed and replaced, one after the other.
        await ReplicaSet.KillAsync(a);
        var c = await fixture.Replicas.StartAsync(fixture.NextName("C"));
        fixture.Current = [c, b];
        await ReplicaSet.KillAsync(b);
        var d = await fixture.Replicas.StartAsync(fixture.NextName("D"));
        fixture.Current = [c, d];
        log.WriteLine($"restarted: {a} -> {c}, {b} -> {d}");

        // The used code and the rotated token are refused by the new processes.
        await OAuthAssert.TokenErrorAsync(
            await CodeFlowTokens.RedeemAsync(d.Client, SignInClients.CW, SignInClients.CWSecret, code, pkce.Verifier, SignInClients.CWRedirect),
            HttpStatusCode.BadRequest, "invalid_grant");
        await EndSessionFlows.AssertRefreshRefusedAsync(c.Client, rt1, "RT1 replayed after the restart");

        // Its replay revoked the family (RFC 9700 §4.14.2): RT2 is refused too, on the other replica.
        await EndSessionFlows.AssertRefreshRefusedAsync(d.Client, rt2, "RT2 after RT1's replay");

        // The new replicas work: a fresh sign-in on one, its refresh on the other.
        var (fresh, freshJar) = EndSessionFlows.NewBrowser(d.BaseAddress);
        using var __ = fresh;
        var tokens = await EndSessionFlows.SignInAsync(fresh, freshJar, d.Client, "openid offline_access");
        await OAuthAssert.TokenSuccessAsync(await CodeFlowTokens.RefreshAsync(c.Client, SignInClients.CW, SignInClients.CWSecret, tokens.RefreshToken!), codeFlow: true);
    }

    // ASVS 7.4.1 and RFC 9700 §4.14.2 across replicas (the browser session is shared state): a session
    // started on one replica is seen by the other, and a logout at the other ends it everywhere.
    [Fact]
    public async Task A_session_started_on_one_replica_is_ended_everywhere_by_a_logout_at_the_other()
    {
        var (a, b) = (fixture.Current[0], fixture.Current[1]);
        var (onA, jar) = EndSessionFlows.NewBrowser(a.BaseAddress);
        using var _ = onA;
        var (onB, __) = EndSessionFlows.NewBrowser(b.BaseAddress, sharing: jar);
        using var ___ = onB;
        var tokens = await EndSessionFlows.SignInAsync(onA, jar, a.Client, "openid offline_access");
        await EndSessionFlows.AssertSignedInAsync(onB, $"{b.Name}, with the session cookie from {a.Name}");

        using var logout = await onB.GetAsync(EndSessionFlows.EndSessionUrl(
            ("id_token_hint", tokens.IdToken), ("post_logout_redirect_uri", SignInClients.CWSignedOut), ("state", "x")));

        Assert.True(logout.StatusCode == HttpStatusCode.SeeOther, $"{b.Name}: expected 303, got {(int)logout.StatusCode}: {await logout.Content.ReadAsStringAsync()}");
        Assert.Equal($"{SignInClients.CWSignedOut}?state=x", logout.Headers.Location!.OriginalString);

        // The old cookie value, replayed at the replica that did not handle the logout.
        var (replay, replayJar) = EndSessionFlows.NewBrowser(a.BaseAddress);
        using var ____ = replay;
        replayJar.Cookies[EndSessionFlows.SessionCookie] = tokens.SessionCookie!;
        await EndSessionFlows.AssertSignedOutAsync(replay, $"{a.Name}: the session cookie after the logout at {b.Name}");
        await EndSessionFlows.AssertRefreshRefusedAsync(a.Client, tokens.RefreshToken!, $"{a.Name}: the session's refresh token after the logout at {b.Name}");
        using var userInfo = await EndSessionFlows.UserInfoAsync(a.Client, tokens.AccessToken);
        await EndSessionFlows.AssertBearerErrorAsync(userInfo, HttpStatusCode.Unauthorized, "invalid_token", $"{a.Name}: the session's access token");
    }

    private sealed record Outcome(string Replica, HttpStatusCode Status, string Body);

    /// <summary>
    /// Sends <paramref name="count"/> requests at once, round-robin over <paramref name="replicas"/>: each
    /// waits on one gate, opened when all are ready. Returns every answer (status and body).
    /// </summary>
    private static async Task<List<Outcome>> RaceAsync(int count, Replica[] replicas, Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        // Open a connection per request to each replica first, so the race is not serialized on one
        // pooled connection per client.
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            using var warm = await replicas[i % replicas.Length].Client.GetAsync("/.well-known/openid-configuration");
        }));

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            var replica = replicas[i % replicas.Length];
            await gate.Task;
            using var response = await send(replica.Client);
            return new Outcome(replica.Name, response.StatusCode, await response.Content.ReadAsStringAsync());
        })).ToList();
        gate.SetResult();
        return [.. await Task.WhenAll(requests)];
    }

    private static void AssertNoServerErrors(List<Outcome> outcomes) =>
        Assert.True(outcomes.All(o => (int)o.Status < 500), $"A request ended in a server error: {Describe(outcomes)}");

    private static void AssertOthersInvalidGrant(List<Outcome> outcomes, int iteration)
    {
        foreach (var outcome in outcomes.Where(o => o.Status != HttpStatusCode.OK))
        {
            Assert.True(outcome.Status == HttpStatusCode.BadRequest, $"Iteration {iteration}: {outcome.Replica} answered {(int)outcome.Status}: {outcome.Body}");
            Assert.Equal("invalid_grant", JsonDocument.Parse(outcome.Body).RootElement.GetProperty("error").GetString());
        }
    }

    private static string Describe(List<Outcome> outcomes) =>
        string.Join(", ", outcomes.GroupBy(o => (o.Replica, o.Status, Error: ErrorOf(o.Body))).Select(g => $"{g.Key.Replica}:{(int)g.Key.Status}{g.Key.Error}x{g.Count()}"));

    private static string ErrorOf(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("error", out var error) ? "/" + error.GetString() : "";
        }
        catch (JsonException)
        {
            return "/(not JSON)";
        }
    }
}
