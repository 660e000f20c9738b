using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using AuthService.Integration.Tests.SignIn;
using Xunit.Abstractions;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// The e-mail outbox with real server processes on one PostgreSQL database: a reset asked of a process that is SIGKILLed
/// before answering it is answered by its restart (the request was stored as an <c>email_requests</c> row before the page
/// was shown; the restart's workers write the token and message, then send it), and its link works.
/// </summary>
public sealed class EmailProcessTests(ITestOutputHelper log)
{
    private static Dictionary<string, string> Settings(SmtpSink smtp, string pollInterval) => new()
    {
        ["Auth__Email__Smtp__Host"] = "127.0.0.1",
        ["Auth__Email__Smtp__Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Auth__Email__Smtp__UseTls"] = "false",
        ["Auth__Email__PollInterval"] = pollInterval,
    };

    private static async Task<ReplicaSet> ReplicasAsync(TestDatabase database, SmtpSink smtp, string pollInterval)
    {
        var replicas = new ReplicaSet(database.ConnectionString, Settings(smtp, pollInterval));
        await File.WriteAllTextAsync(replicas.SeedFile, AdminClients.SeedDocument().ToJsonString());
        return replicas;
    }

    /// <summary>The outgoing e-mail as the admin API of <paramref name="replica"/> lists it.</summary>
    private static async Task<List<JsonElement>> EmailsAsync(Replica replica)
    {
        var token = (await OAuthAssert.TokenSuccessAsync(await replica.Client.PostTokenAsync(
            Protocol.Form(("grant_type", "client_credentials"), ("scope", "admin")), Protocol.Basic(AdminClients.Admin, AdminClients.AdminSecret))))
            .GetProperty("access_token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/emails");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await replica.Client.SendAsync(request);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. page.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public async Task A_reset_stored_by_a_process_killed_before_answering_it_is_sent_after_the_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var smtp = new SmtpSink();

        // A polls once an hour: the request is stored, and nothing is resolved or sent before the kill.
        await using var slow = await ReplicasAsync(database, smtp, "01:00:00");
        var a = await slow.StartAsync("A");
        var (browser, _) = EndSessionFlows.NewBrowser(a.BaseAddress);
        using (browser)
        {
            using var asked = await AskForResetAsync(browser, SignInClients.AliceEmail);
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        }

        var stored = Assert.Single(await database.QueryAsync("SELECT id, status, attempts FROM email_requests"));
        Assert.Equal(0, stored[1]);
        Assert.Equal(0, stored[2]);
        Assert.Empty(await EmailsAsync(a));
        await ReplicaSet.KillAsync(a);
        Assert.Empty(smtp.Messages);
        log.WriteLine($"{a} SIGKILLed with the request {stored[0]} pending");

        // Its replacement (same database, a normal poll interval) sends it, and the link in it works.
        await using var restarted = await ReplicasAsync(database, smtp, "00:00:00.200");
        var b = await restarted.StartAsync("A-restarted");
        var message = await smtp.MessageToAsync(SignInClients.AliceEmail, "Reset your password");
        var (next, _) = EndSessionFlows.NewBrowser(b.BaseAddress);
        using (next)
        {
            await OpenLinkAsync(next, SmtpSink.LinkOf(message));
        }

        var delivered = await Poll.UntilAsync(() => EmailsAsync(b), l => l.Count == 1 && l[0].GetProperty("status").GetString() == "delivered",
            TimeSpan.FromSeconds(30), "the message delivered", l => string.Join(", ", l));
        Assert.Equal(1, delivered[0].GetProperty("attempts").GetInt32());
        Assert.Single(smtp.Messages);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM email_requests WHERE status = 1"));
    }
}
