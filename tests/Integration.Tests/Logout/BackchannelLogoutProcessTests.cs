using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Xunit.Abstractions;

namespace AuthService.Integration.Tests.Logout;

/// <summary>
/// Back-Channel Logout 1.0 delivery with real server processes on one PostgreSQL database (docs/adr/0031): a logout
/// stored by a process that is SIGKILLed before delivering it is delivered by its restart (the outbox row survives), and
/// two replicas polling the same outbox send each attempt once (the receiver counts every POST per session).
/// </summary>
public sealed class BackchannelLogoutProcessTests(ITestOutputHelper log)
{
    private static string Seed(string receiverUri)
    {
        var seed = AdminClients.SeedDocument();
        var client = TestClients.Client(BackchannelLogoutFixture.BL, BackchannelLogoutFixture.BLSecret, "client_secret_basic", ["authorization_code"], "openid profile",
            redirectUris: [BackchannelLogoutFixture.BLRedirect]);
        client["require_consent"] = false;
        client["backchannel_logout_uri"] = receiverUri;
        seed["clients"]!.AsArray().Add(client);
        return seed.ToJsonString();
    }

    private static Dictionary<string, string> Settings(string pollInterval) => new()
    {
        ["Auth__OutboundFetch__AllowLoopback"] = "true",
        ["Auth__BackchannelLogout__PollInterval"] = pollInterval,
        ["Auth__BackchannelLogout__RequestTimeout"] = "00:00:02",
        ["Auth__BackchannelLogout__Lease"] = "00:00:08",
        ["Auth__BackchannelLogout__RetryBaseDelay"] = "00:00:00.300",
        ["Auth__BackchannelLogout__RetryMaxDelay"] = "00:00:00.600",
        ["Auth__BackchannelLogout__MaxAttempts"] = "100",
    };

    private static async Task<ReplicaSet> ReplicasAsync(TestDatabase database, string seed, string pollInterval)
    {
        var replicas = new ReplicaSet(database.ConnectionString, Settings(pollInterval));
        await File.WriteAllTextAsync(replicas.SeedFile, seed);
        return replicas;
    }

    /// <summary>Signs alice in to BL on <paramref name="replica"/>, logs her out there, and returns the session id.</summary>
    private static async Task<string> SignInAndOutAsync(Replica replica)
    {
        var (browser, jar) = EndSessionFlows.NewBrowser(replica.BaseAddress);
        using var _ = browser;
        var tokens = await EndSessionFlows.SignInAsync(browser, jar, replica.Client, "openid",
            BackchannelLogoutFixture.BL, BackchannelLogoutFixture.BLSecret, BackchannelLogoutFixture.BLRedirect);
        using var logout = await browser.GetAsync(EndSessionFlows.EndSessionUrl(("id_token_hint", tokens.IdToken)));
        Assert.True(logout.StatusCode == HttpStatusCode.OK, $"{replica}: logout answered {(int)logout.StatusCode}");
        return Jose.Payload(tokens.IdToken!)["sid"]!.GetValue<string>();
    }

    /// <summary>The notifications of client BL as the admin API of <paramref name="replica"/> lists them, by session id.</summary>
    private static async Task<Dictionary<string, JsonElement>> NotificationsAsync(Replica replica)
    {
        var token = (await OAuthAssert.TokenSuccessAsync(await replica.Client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret))))
            .GetProperty("access_token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/admin/logout-notifications?client_id={BackchannelLogoutFixture.BL}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await replica.Client.SendAsync(request);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return page.GetProperty("items").EnumerateArray().ToDictionary(n => n.GetProperty("session_id").GetString()!, n => n.Clone());
    }

    /// <summary>Starts the replacement process and waits until the admin API there shows the notification of <paramref name="sid"/> delivered.</summary>
    private static async Task<JsonElement> DeliveredAfterRestartAsync(ReplicaSet restarted, string sid)
    {
        var replacement = await restarted.StartAsync("A-restarted");
        return await Poll.UntilAsync(
            async () => (await NotificationsAsync(replacement))[sid],
            n => n.GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(60), $"the notification of {sid} delivered by the restarted process", n => n.ToString());
    }

    private static int PostsFor(LogoutReceiver receiver, string sid) =>
        receiver.Received.Count(r => r.Form.TryGetValue("logout_token", out var t) && Jose.Payload(t)["sid"]?.GetValue<string>() == sid);

    // Back-Channel Logout 1.0 §2.5 with a transactional outbox: what the logout stored is not lost with the process.
    [Fact]
    public async Task A_logout_stored_by_a_process_killed_before_delivery_is_delivered_after_the_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = new LogoutReceiver();
        var seed = Seed(receiver.Uri);

        // A polls once an hour: the logout is stored, and nothing is sent before the kill.
        await using var slow = await ReplicasAsync(database, seed, "01:00:00");
        var a = await slow.StartAsync("A");
        var sid = await SignInAndOutAsync(a);
        var stored = (await NotificationsAsync(a))[sid];
        Assert.Equal("pending", stored.GetProperty("status").GetString());
        Assert.Equal(0, stored.GetProperty("attempts").GetInt32());

        await ReplicaSet.KillAsync(a);
        Assert.Equal(0, PostsFor(receiver, sid));
        log.WriteLine($"{a} SIGKILLed with the notification of {sid} pending");

        // Its replacement (same database, a normal poll interval) delivers it.
        await using var restarted = await ReplicasAsync(database, seed, "00:00:00.200");
        var delivered = await DeliveredAfterRestartAsync(restarted, sid);
        Assert.Equal(1, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal(1, PostsFor(receiver, sid));
    }

    // A crash in the middle of an attempt (leased, POSTed, no answer yet): the row stays pending under its lease, and
    // once the lease has run out the restarted process sends it again (at least once, §2.8) and records the delivery.
    [Fact]
    public async Task A_process_killed_during_an_attempt_leaves_the_notification_to_be_sent_again_after_the_lease()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = new LogoutReceiver { Hang = true };
        var seed = Seed(receiver.Uri);
        await using var first = await ReplicasAsync(database, seed, "00:00:00.200");
        var a = await first.StartAsync("A");
        var sid = await SignInAndOutAsync(a);

        // A's attempt reached the receiver, which does not answer: A is SIGKILLed in the middle of it.
        await Poll.UntilAsync(() => Task.FromResult(PostsFor(receiver, sid)), n => n == 1, TimeSpan.FromSeconds(30), $"A's attempt for {sid}");
        await ReplicaSet.KillAsync(a);
        receiver.Hang = false;
        log.WriteLine($"{a} SIGKILLed during its attempt for {sid}");

        await using var restarted = await ReplicasAsync(database, seed, "00:00:00.200");
        var delivered = await DeliveredAfterRestartAsync(restarted, sid);
        Assert.Equal(2, PostsFor(receiver, sid));
        log.WriteLine($"delivered: {delivered}");
    }

    // At least once, never twice per attempt: each attempt is claimed by one replica (the conditional UPDATE), so the
    // receiver sees exactly as many POSTs per session as attempts were recorded, also while it fails and both retry.
    [Fact]
    public async Task Two_replicas_send_each_attempt_of_each_notification_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var receiver = new LogoutReceiver { Down = true };
        var seed = Seed(receiver.Uri);
        await using var replicas = await ReplicasAsync(database, seed, "00:00:00.100");
        var all = await replicas.StartAsync("A", "B");

        var sids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            sids.Add(await SignInAndOutAsync(all[i % 2]));
        }

        // While the receiver answers 503 both replicas keep retrying every notification.
        await Poll.UntilAsync(
            () => NotificationsAsync(all[0]),
            n => sids.All(s => n.TryGetValue(s, out var e) && e.GetProperty("attempts").GetInt32() >= 3),
            TimeSpan.FromSeconds(60), "three failed attempts of every notification", n => string.Join("\n", n.Values));
        receiver.Down = false;

        var final = await Poll.UntilAsync(
            () => NotificationsAsync(all[1]),
            n => sids.All(s => n[s].GetProperty("status").GetString() == "delivered"),
            TimeSpan.FromSeconds(60), "every notification delivered", n => string.Join("\n", n.Values));
        foreach (var sid in sids)
        {
            var attempts = final[sid].GetProperty("attempts").GetInt32();
            Assert.True(attempts >= 4, $"{sid}: {attempts} attempts");
            Assert.Equal(attempts, PostsFor(receiver, sid));
        }

        log.WriteLine(string.Join("\n", sids.Select(s => $"{s}: {final[s].GetProperty("attempts").GetInt32()} attempts, {PostsFor(receiver, s)} POSTs")));
    }
}
