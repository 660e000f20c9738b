using System.Net;
using AuthService.Application.Common.Security;
using AuthService.Application.Email;
using AuthService.Application.Outbox.Commands.PurgeSettledOutbox;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.Users;
using AuthService.Infrastructure.Email;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static AuthService.Integration.Tests.Email.EmailPageTesting;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// The links asked for by address (docs/adr/0036 "Timing"): the request path writes one <c>email_requests</c> row for every
/// address, and the e-mail request worker answers it (a token and the link for an account, the "no account" notice and no
/// token otherwise) in the save that marks it handled; two workers racing for a request, or one whose lease ran out while
/// another took it over, answer it once; handled rows go with the outbox retention. Real pipeline and PostgreSQL.
/// </summary>
public sealed class EmailRequestWorkerTests(EmailFixture server) : IClassFixture<EmailFixture>
{
    /// <summary>The hosted workers of a <see cref="ClockedServer"/> never poll during a test: the test runs the workers itself.</summary>
    private static readonly Dictionary<string, string?> NoPolling = new() { ["Auth:Email:PollInterval"] = "01:00:00" };

    [Fact]
    public async Task An_unknown_address_leaves_one_handled_request_the_notice_and_no_token()
    {
        var address = $"Nobody-{Guid.NewGuid():N}@example.com";
        using var browser = server.NewBrowser();
        using var asked = await AskForResetAsync(browser, address);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);

        var notice = await server.Smtp.MessageToAsync(address, "Reset your password");
        Assert.DoesNotContain("token=", notice.TextBody, StringComparison.Ordinal);

        var normalized = User.Normalize(address);
        var request = Assert.Single(await server.Database.QueryAsync(
            "SELECT kind, status, attempts, address, continuation_kind FROM email_requests WHERE normalized_email = @n", ("n", normalized)));
        Assert.Equal((int)EmailRequestKind.PasswordReset, request[0]);
        Assert.Equal((int)OutboxStatus.Delivered, request[1]);
        Assert.Equal(1, request[2]);
        Assert.Equal(address, request[3]);
        Assert.Equal(DBNull.Value, request[4]);
        Assert.Equal(0L, await server.Database.ScalarAsync<long>("SELECT count(*) FROM email_tokens WHERE normalized_email = @n", ("n", normalized)));
        var purpose = Assert.Single(await server.Database.QueryAsync("SELECT purpose, user_id FROM outgoing_emails WHERE recipient = @a", ("a", address)));
        Assert.Equal(EmailLinks.NoAccountPurpose, purpose[0]);
        Assert.Equal(DBNull.Value, purpose[1]);
    }

    [Fact]
    public async Task An_address_with_an_account_gets_its_token_and_link_from_the_worker_and_the_request_row_holds_no_secret()
    {
        var (_, email, userId) = await server.NewUserAsync("ereq");
        using var browser = server.NewBrowser();
        using var asked = await MagicLinkTests.AskForMagicLinkAsync(browser, email);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);

        var link = SmtpSink.LinkOf(await server.Smtp.MessageToAsync(email, "Your sign-in link"));
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..]);

        var normalized = User.Normalize(email);
        var request = Assert.Single(await server.Database.QueryAsync(
            "SELECT kind, status, attempts, r::text FROM email_requests r WHERE normalized_email = @n", ("n", normalized)));
        Assert.Equal((int)EmailRequestKind.SignInLink, request[0]);
        Assert.Equal((int)OutboxStatus.Delivered, request[1]);
        Assert.Equal(1, request[2]);
        Assert.DoesNotContain(token, (string)request[3], StringComparison.Ordinal);
        Assert.DoesNotContain(OpaqueToken.HashOf(token), (string)request[3], StringComparison.Ordinal);

        var issued = Assert.Single(await server.Database.QueryAsync("SELECT token_hash, purpose FROM email_tokens WHERE user_id = @u", ("u", Guid.Parse(userId))));
        Assert.Equal(OpaqueToken.HashOf(token), issued[0]);
        Assert.Equal((int)EmailTokenPurpose.MagicLink, issued[1]);
        Assert.Equal(EmailLinks.MagicLinkPurpose, Assert.Single(await server.EmailsAsync(userId)).GetProperty("purpose").GetString());
    }

    [Fact]
    public async Task Two_workers_racing_for_the_same_requests_answer_each_once()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var clocked = await ClockedServer.StartAsync(database, NoPolling);
        var now = clocked.Clock.GetUtcNow();
        var users = Enumerable.Range(0, 10).Select(i => NewUser("race" + i, now)).ToList();
        await WriteAsync(clocked, users, [.. users.Select(u => Request(u.Email!, now))]);

        await Task.WhenAll(Worker(clocked).DeliverDueAsync(CancellationToken.None), Worker(clocked).DeliverDueAsync(CancellationToken.None));

        Assert.Equal(10L, await database.ScalarAsync<long>("SELECT count(*) FROM email_requests WHERE status = 1 AND attempts = 1"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM email_requests WHERE status <> 1"));
        foreach (var user in users)
        {
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM email_tokens WHERE user_id = @u", ("u", user.Id)));
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM outgoing_emails WHERE user_id = @u", ("u", user.Id)));
        }
    }

    [Fact]
    public async Task A_worker_whose_lease_ran_out_loses_its_answer_to_the_one_that_took_the_request_over()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var clocked = await ClockedServer.StartAsync(database, NoPolling);
        var t0 = clocked.Clock.GetUtcNow();
        var user = NewUser("lease", t0);
        var request = Request(user.Email!, t0);
        await WriteAsync(clocked, [user], [request]);
        var lease = clocked.Factory.Services.GetRequiredService<IOptions<EmailDeliveryOptions>>().Value.Lease;

        // The first worker claims the request and writes its answer, as the worker does, but stalls before the save.
        await using var stalled = clocked.Factory.Services.CreateAsyncScope();
        var services = stalled.ServiceProvider;
        var outbox = services.GetRequiredService<IEmailRequestRepository>();
        Assert.True(await outbox.TryClaimAsync(request.Id, t0, t0 + lease, CancellationToken.None));
        var claimed = (await outbox.FindAsync(request.Id, CancellationToken.None))!;
        await services.GetRequiredService<EmailRequestResolver>().ResolveAsync(claimed, t0, CancellationToken.None);

        // While the lease holds, nobody else takes it; once it ran out, another worker does and answers.
        await Worker(clocked).DeliverDueAsync(CancellationToken.None);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM outgoing_emails"));
        clocked.Clock.SetUtcNow(t0 + lease + TimeSpan.FromSeconds(1));
        await Worker(clocked).DeliverDueAsync(CancellationToken.None);

        // The stalled worker's save conflicts on the request's version: its token and message are not stored.
        claimed.MarkDelivered(clocked.Clock.GetUtcNow());
        Assert.Equal(SaveResult.ConcurrencyConflict, await services.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM outgoing_emails WHERE user_id = @u", ("u", user.Id)));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM email_tokens WHERE user_id = @u", ("u", user.Id)));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM email_requests WHERE status = 1 AND attempts = 1"));
    }

    [Fact]
    public async Task Handled_requests_go_after_the_retention_and_a_pending_one_stays()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var clocked = await ClockedServer.StartAsync(database, NoPolling);
        var t0 = clocked.Clock.GetUtcNow();
        var handled = Request("handled@example.com", t0);
        handled.MarkDelivered(t0);
        var pending = Request("pending@example.com", t0);
        pending.RecordFailure("unexpected TimeoutException", new DeliveryPolicy(5, TimeSpan.FromDays(1000), TimeSpan.FromDays(1000)), t0);
        await WriteAsync(clocked, [], [handled, pending]);

        clocked.Clock.SetUtcNow(t0 + TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await clocked.Factory.SendAsync(new PurgeSettledOutbox()));
        clocked.Clock.SetUtcNow(t0 + TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await clocked.Factory.SendAsync(new PurgeSettledOutbox()));

        Assert.Equal([pending.Id], (await database.QueryAsync("SELECT id FROM email_requests")).Select(r => (Guid)r[0]));
    }

    private static EmailRequestWorker Worker(ClockedServer clocked)
    {
        var services = clocked.Factory.Services;
        return new EmailRequestWorker(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<IOptions<EmailDeliveryOptions>>(),
            clocked.Clock, NullLogger<EmailRequestWorker>.Instance);
    }

    private static User NewUser(string prefix, DateTimeOffset now)
    {
        var username = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        return User.Register(Guid.NewGuid(), new UserProfile(username, username + "@example.com", false, null), null, SecurityStamp.New(), now);
    }

    private static EmailRequest Request(string address, DateTimeOffset now) =>
        EmailRequest.Create(Guid.NewGuid(), EmailRequestKind.PasswordReset, address, "192.0.2.1", continuation: null, now);

    private static async Task WriteAsync(ClockedServer clocked, IReadOnlyList<User> users, IReadOnlyList<EmailRequest> requests)
    {
        await using var scope = clocked.Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        foreach (var user in users)
        {
            services.GetRequiredService<IUserRepository>().Add(user);
        }

        foreach (var request in requests)
        {
            services.GetRequiredService<IEmailRequestRepository>().Add(request);
        }

        Assert.Equal(SaveResult.Saved, await services.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
    }
}
