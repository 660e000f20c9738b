using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Npgsql;

namespace AuthService.Integration.Tests.Admin;

/// <summary>
/// The audit log through the real server: the security events of sign-in, consent and the token endpoint are
/// recorded in the same transaction as their change, queried with filters and cursors, exported as NDJSON,
/// never hold a secret, and cannot be changed or deleted in the store.
/// </summary>
public sealed class AuditLogTests(AdminFixture server) : IClassFixture<AdminFixture>
{
    private const string Scope = "openid profile offline_access api.read";

    private async Task<string> AliceIdAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await server.Client.SendAsync(request);
        return (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("sub").GetString()!;
    }

    private static async Task<IReadOnlyList<JsonElement>> ExportAsync(HttpClient admin, string query = "")
    {
        using var response = await admin.GetAsync("/admin/audit-events/export?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "Every NDJSON line ends with a newline.");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    [Fact]
    public async Task A_sign_in_and_the_consent_are_recorded_with_the_user_as_actor()
    {
        using var admin = await server.AdminAsync();
        using var browser = server.NewBrowser();
        var tokens = await CodeGrantSupport.TokensAsync(browser, server.Client, SignInClients.CW, Scope);
        var alice = await AliceIdAsync(tokens.AccessToken);

        var signedIn = (await admin.AuditAsync($"subject={alice}&event_type=user.signed_in")).First();
        Assert.Equal("user", signedIn.GetProperty("actor_type").GetString());
        Assert.Equal(alice, signedIn.GetProperty("actor_id").GetString());
        Assert.EndsWith("Z", signedIn.GetProperty("occurred_at").GetString(), StringComparison.Ordinal);

        var consent = (await admin.AuditAsync($"subject={alice}&event_type=consent.granted&client_id={SignInClients.CW}")).First();
        Assert.Equal(SignInClients.CW, consent.GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task A_denied_consent_is_recorded()
    {
        using var admin = await server.AdminAsync();
        using var browser = server.NewBrowser();
        var before = (await admin.AuditAsync($"event_type=consent.denied&client_id={SignInClients.CV}")).Count;

        var response = await browser.AuthorizeAsync(Browser.AuthorizeUrl(SignInClients.CV, SignInClients.CVRedirect, "openid api.read", PkcePair.New()), allow: false);
        Assert.Equal("access_denied", Browser.ResponseParameters(response)["error"]);

        Assert.Equal(before + 1, (await admin.AuditAsync($"event_type=consent.denied&client_id={SignInClients.CV}")).Count);
    }

    [Fact]
    public async Task Failed_sign_ins_are_recorded_with_a_reason_and_without_the_typed_secrets()
    {
        using var admin = await server.AdminAsync();
        const string WrongPassword = "Wr0ng-password-for-the-audit-test";
        const string UnknownName = "nobody-by-this-name";
        using var browser = server.NewBrowser();
        var url = Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, Scope, PkcePair.New());

        var login = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
        login = await (await browser.SignInAsync(login, SignInClients.AliceUsername, WrongPassword)).Content.ReadAsStringAsync();
        await browser.SignInAsync(login, UnknownName, WrongPassword);

        var failures = await admin.AuditAsync($"event_type=user.sign_in_failed&client_id={SignInClients.CW}&limit=2");
        Assert.Equal(["unknown_user", "wrong_password"], failures.Select(f => f.GetProperty("details").GetProperty("reason").GetString()));
        Assert.Equal(JsonValueKind.Null, failures[0].GetProperty("subject_id").ValueKind);
        var everything = string.Join('\n', (await ExportAsync(admin)).Select(e => e.GetRawText()));
        Assert.DoesNotContain(WrongPassword, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(UnknownName, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(AdminClients.AdminSecret, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lockout_is_recorded()
    {
        using var admin = await server.AdminAsync();
        using var browser = server.NewBrowser();
        var url = Browser.AuthorizeUrl(SignInClients.CW, SignInClients.CWRedirect, Scope, PkcePair.New());
        var page = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
        for (var i = 0; i < 5; i++)
        {
            page = await (await browser.SignInAsync(page, SignInClients.BobUsername, $"wrong-password-{i}-0123")).Content.ReadAsStringAsync();
        }

        var lockout = Assert.Single(await admin.AuditAsync("event_type=user.locked_out"));
        Assert.True(lockout.GetProperty("details").TryGetProperty("lockout_ends_at", out _));
        var bobsFailures = await admin.AuditAsync($"subject={lockout.GetProperty("subject_id").GetString()}&event_type=user.sign_in_failed");
        Assert.Equal(5, bobsFailures.Count);
    }

    [Fact]
    public async Task A_replayed_code_and_a_reused_refresh_token_are_recorded_with_the_client_as_actor()
    {
        using var admin = await server.AdminAsync();
        using var browser = server.NewBrowser();
        var pkce = PkcePair.New();
        var code = await CodeGrantSupport.CodeAsync(browser, SignInClients.CW, Scope, pkce);
        using (var first = await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect))
        {
            await OAuthAssert.TokenSuccessAsync(first, codeFlow: true);
        }

        await CodeGrantSupport.InvalidGrantAsync(
            await CodeGrantSupport.RedeemAsync(server.Client, SignInClients.CW, code, pkce.Verifier, SignInClients.CWRedirect), "code replay");

        var replay = (await admin.AuditAsync("event_type=authorization_code.replayed")).First();
        Assert.Equal(("client", SignInClients.CW), (replay.GetProperty("actor_type").GetString(), replay.GetProperty("actor_id").GetString()));

        var tokens = await CodeGrantSupport.TokensAsync(browser, server.Client, SignInClients.CW, Scope);
        await CodeGrantSupport.RefreshedAsync(server.Client, SignInClients.CW, tokens.RefreshToken!);
        await CodeGrantSupport.RefreshFailsAsync(server.Client, SignInClients.CW, tokens.RefreshToken!, "reuse of a rotated refresh token");

        var reuse = (await admin.AuditAsync("event_type=refresh_token.reuse_detected")).First();
        Assert.Equal(SignInClients.CW, reuse.GetProperty("client_id").GetString());
        Assert.True(reuse.GetProperty("details").TryGetProperty("family_id", out _));
    }

    [Fact]
    public async Task Issuing_client_credentials_tokens_writes_no_audit_entry()
    {
        using var admin = await server.AdminAsync();
        var before = (await ExportAsync(admin)).Count;

        for (var i = 0; i < 5; i++)
        {
            await server.Client.C1TokenAsync();
        }

        Assert.Equal(before, (await ExportAsync(admin)).Count);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_newest_first_without_gaps_or_repeats()
    {
        using var admin = await server.AdminAsync();
        var all = (await ExportAsync(admin)).Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.True(all.Count >= 3, "The seed alone records several entries.");
        Assert.Equal(all.Order(), all); // export: oldest first

        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync("/admin/audit-events?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)))).ExpectAsync(HttpStatusCode.OK);
            var items = page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
            Assert.True(items.Count <= 2);
            seen.AddRange(items);
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null && seen.Count < all.Count + 10);

        var expected = all.Where(id => id <= seen[0]).OrderDescending().ToList();
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Filters_combine_and_a_time_window_selects_by_occurred_at()
    {
        using var admin = await server.AdminAsync();
        var created = await admin.AuditAsync($"event_type=client.created&subject={SignInClients.CW}");
        var entry = Assert.Single(created);
        Assert.Equal(("system", "authservice"), (entry.GetProperty("actor_type").GetString(), entry.GetProperty("actor_id").GetString()));

        var at = entry.GetProperty("occurred_at").GetDateTimeOffset();
        Assert.Single(await admin.AuditAsync($"event_type=client.created&subject={SignInClients.CW}&from={Uri.EscapeDataString(at.ToString("O"))}&to={Uri.EscapeDataString(at.AddSeconds(1).ToString("O"))}"));
        Assert.Empty(await admin.AuditAsync($"event_type=client.created&subject={SignInClients.CW}&from={Uri.EscapeDataString(at.AddSeconds(1).ToString("O"))}"));
        Assert.Empty(await admin.AuditAsync($"event_type=client.created&subject={SignInClients.CW}&actor={AdminClients.Admin}"));
        Assert.All(await admin.AuditAsync($"client_id={SignInClients.CW}"), e => Assert.Equal(SignInClients.CW, e.GetProperty("client_id").GetString()));

        var exported = await ExportAsync(admin, $"event_type=client.created&subject={SignInClients.CW}");
        Assert.Equal(entry.GetProperty("id").GetInt64(), Assert.Single(exported).GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=MTA.AAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", "to")]
    public async Task Bad_query_parameters_are_a_400_naming_the_parameter(string query, string field)
    {
        using var admin = await server.AdminAsync();

        using var response = await admin.GetAsync("/admin/audit-events?" + query);

        await response.ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task An_unreadable_timestamp_is_a_400_not_a_500()
    {
        using var admin = await server.AdminAsync();

        using var response = await admin.GetAsync("/admin/audit-events?from=yesterday");

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_cursor_of_one_list_is_not_a_cursor_of_another_query_but_is_still_authentic()
    {
        using var admin = await server.AdminAsync();
        var page = await (await admin.GetAsync("/admin/audit-events?limit=1")).ExpectAsync(HttpStatusCode.OK);
        var cursor = page.GetProperty("next_cursor").GetString()!;
        var tampered = cursor[..^2] + (cursor[^2] == 'A' ? "BA" : "AA");

        await (await admin.GetAsync("/admin/audit-events?limit=1&cursor=" + Uri.EscapeDataString(cursor))).ExpectAsync(HttpStatusCode.OK);
        await (await admin.GetAsync("/admin/audit-events?limit=1&cursor=" + Uri.EscapeDataString(tampered))).ProblemAsync(HttpStatusCode.BadRequest, "cursor");

        // Every list's cursor is signed with the same key; each names its list, so one list's cursor is a 400 at another.
        var clients = await (await admin.GetAsync("/admin/clients?limit=1")).ExpectAsync(HttpStatusCode.OK);
        var clientsCursor = clients.GetProperty("next_cursor").GetString()!;
        await (await admin.GetAsync("/admin/audit-events?cursor=" + Uri.EscapeDataString(clientsCursor))).ProblemAsync(HttpStatusCode.BadRequest, "cursor");
        await (await admin.GetAsync("/admin/clients?cursor=" + Uri.EscapeDataString(cursor))).ProblemAsync(HttpStatusCode.BadRequest, "cursor");
        await (await admin.GetAsync($"/admin/consents?user_id={Guid.NewGuid()}&cursor=" + Uri.EscapeDataString(cursor))).ProblemAsync(HttpStatusCode.BadRequest, "cursor");
        await (await admin.GetAsync("/admin/users?cursor=" + Uri.EscapeDataString(cursor))).ProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    [Theory]
    [InlineData("UPDATE audit_entries SET event_type = 'forged'")]
    [InlineData("DELETE FROM audit_entries")]
    public async Task The_store_refuses_to_change_or_delete_an_entry(string sql)
    {
        await using var connection = new NpgsqlConnection(server.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        Assert.True(await server.Database.ScalarAsync<long>("SELECT count(*) FROM audit_entries") > 0);
    }
}
