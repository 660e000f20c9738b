using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;

namespace AuthService.Integration.Tests.Admin;

/// <summary>
/// The admin session list shows each session's device: the sign-in's user agent (printable ASCII, cut to 256
/// characters) and address (the connection's peer, as every address rule of the server), first seen (the sign-in) and
/// last seen (its latest use, written at most once a minute).
/// </summary>
public sealed class SessionDeviceTests
{
    /// <summary>Alice's current sessions as the admin API lists them at <paramref name="server"/>.</summary>
    private static async Task<List<JsonElement>> AliceSessionsAsync(HttpClient server)
    {
        var token = (await OAuthAssert.TokenSuccessAsync(await server.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret))))
            .GetProperty("access_token").GetString()!;
        async Task<JsonElement> GetAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await server.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var alice = (await GetAsync("/admin/users?q=alice")).GetProperty("items").EnumerateArray()
            .Single(u => u.GetProperty("username").GetString() == SignInClients.AliceUsername);
        return [.. (await GetAsync($"/admin/users/{alice.GetProperty("id").GetString()}/sessions")).GetProperty("items").EnumerateArray().Select(s => s.Clone())];
    }

    // A real server process over TCP: the address is the connection's peer (loopback here).
    [Fact]
    public async Task The_session_list_shows_the_sign_ins_user_agent_and_address()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var replicas = new ReplicaSet(database.ConnectionString);
        await File.WriteAllTextAsync(replicas.SeedFile, AdminClients.SeedDocument().ToJsonString());
        var a = await replicas.StartAsync("A");

        var userAgent = "Mozilla/5.0 (X11; Linux x86_64) <b>Test</b> " + new string('x', 400);
        var (browser, jar) = EndSessionFlows.NewBrowser(a.BaseAddress);
        using var _ = browser;
        Assert.True(browser.Http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent));
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, a.Client, "openid");

        var session = Assert.Single(await AliceSessionsAsync(a.Client));
        Assert.Equal(Jose.Payload(tokens.IdToken!)["sid"]!.GetValue<string>(), session.GetProperty("id").GetString());
        Assert.Equal(userAgent[..256], session.GetProperty("user_agent").GetString());
        Assert.Equal("127.0.0.1", session.GetProperty("address").GetString());
        Assert.Equal(session.GetProperty("authenticated_at").GetDateTimeOffset(), session.GetProperty("first_seen_at").GetDateTimeOffset());
        Assert.True(session.GetProperty("last_seen_at").GetDateTimeOffset() >= session.GetProperty("first_seen_at").GetDateTimeOffset());
    }

    // Last seen follows use (each authorization in the session), but a use within a minute of the last writes nothing.
    [Fact]
    public async Task Last_seen_moves_on_use_at_most_once_a_minute()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database, seedJson: AdminClients.SeedDocument().ToJsonString());
        var (browser, jar) = EndSessionFlows.NewBrowser(server.Factory);
        using var _ = browser;
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        var signedInAt = server.Clock.GetUtcNow();
        var first = Assert.Single(await AliceSessionsAsync(server.Client));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("user_agent").ValueKind);
        Assert.Equal(signedInAt, first.GetProperty("last_seen_at").GetDateTimeOffset());

        server.Clock.Advance(TimeSpan.FromSeconds(30));
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        Assert.Equal(signedInAt, Assert.Single(await AliceSessionsAsync(server.Client)).GetProperty("last_seen_at").GetDateTimeOffset());

        server.Clock.Advance(TimeSpan.FromSeconds(45));
        await EndSessionFlows.SignInAsync(browser, jar, server.Client, "openid");
        var later = Assert.Single(await AliceSessionsAsync(server.Client));
        Assert.Equal(signedInAt.AddSeconds(75), later.GetProperty("last_seen_at").GetDateTimeOffset());
        Assert.Equal(signedInAt, later.GetProperty("first_seen_at").GetDateTimeOffset());
    }
}
