using AuthService.Application.Common.Security;
using AuthService.Application.Email.Commands.PurgeEndedEmailTokens;
using AuthService.Application.Jobs.Commands;
using AuthService.Application.Outbox.Commands.PurgeSettledOutbox;
using AuthService.Domain.Common;
using AuthService.Domain.Email;
using AuthService.Domain.LogoutNotifications;
using AuthService.Domain.Users;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AuthService.Integration.Tests.Email;

/// <summary>
/// The e-mail housekeeping of the clean-up job (docs/adr/0033, "Retention") on PostgreSQL: e-mail tokens go a day after
/// they expired, were used or were revoked; outbox rows (e-mail and logout notifications) that were delivered or given up
/// go once older than <c>Auth:Outbox:Retention</c>; a pending row stays whatever its age. The server runs on a
/// <see cref="FakeTimeProvider"/> with its jobs paused; the rows are written through the server's own repositories at
/// chosen instants, and the test sends the commands itself, as the job does.
/// </summary>
public sealed class EmailRetentionTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>A retry so far away that no worker of the test's server touches the row: it stays pending.</summary>
    private static readonly DeliveryPolicy RetryMuchLater = new(MaxAttempts: 5, TimeSpan.FromDays(1000), TimeSpan.FromDays(1000));

    private static readonly DeliveryPolicy GiveUpAtOnce = new(MaxAttempts: 1, Second, Second);

    [Fact]
    public async Task Ended_tokens_go_after_a_day_and_settled_outbox_rows_after_the_retention_while_pending_and_recent_ones_stay()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = await ClockedServer.StartAsync(database);
        var t0 = server.Clock.GetUtcNow();
        var rows = new Rows(database);

        var (_, _, _, open, _, _, pending, recent, _, notifying) = await SeedAsync(server.Factory.Services, t0);

        Assert.Equal(4L, await rows.CountAsync("email_tokens"));
        Assert.Equal(4L, await rows.CountAsync("outgoing_emails"));
        Assert.Equal(2L, await rows.CountAsync("logout_notifications"));

        // A second before the expired token is a day past its expiry: everything stays.
        server.Clock.SetUtcNow(t0 + TimeSpan.FromMinutes(30) + TimeSpan.FromDays(1) - Second);
        Assert.Equal(0, await server.Factory.SendAsync(new PurgeEndedEmailTokens()));

        // A second after: the expired one goes; the used and the revoked one (an hour later) stay a little longer.
        server.Clock.SetUtcNow(t0 + TimeSpan.FromMinutes(30) + TimeSpan.FromDays(1) + Second);
        Assert.Equal(1, await server.Factory.SendAsync(new PurgeEndedEmailTokens()));
        server.Clock.SetUtcNow(t0 + TimeSpan.FromHours(1) + TimeSpan.FromDays(1) + Second);
        Assert.Equal(2, await server.Factory.SendAsync(new PurgeEndedEmailTokens(BatchSize: 1)));
        Assert.Equal([open.TokenHash], await rows.TokensAsync());

        // The outbox: nothing is a week old yet.
        server.Clock.SetUtcNow(t0 + TimeSpan.FromDays(7) - Second);
        Assert.Equal(0, await server.Factory.SendAsync(new PurgeSettledOutbox()));

        // A second after the week: the settled rows of t0 go, two at a time (the delivered and the given-up e-mail, the
        // delivered notification); the pending ones of the same age and the recent one stay.
        server.Clock.SetUtcNow(t0 + TimeSpan.FromDays(7) + Second);
        Assert.Equal(3, await server.Factory.SendAsync(new PurgeSettledOutbox(BatchSize: 2)));
        Assert.Equal(new[] { pending.Id, recent.Id }.Order(), await rows.IdsAsync("outgoing_emails"));
        Assert.Equal([notifying.Id], await rows.IdsAsync("logout_notifications"));
        Assert.Equal(1L, await rows.ScalarAsync("SELECT count(*) FROM outgoing_emails WHERE id = @id AND status = 0 AND text_body IS NOT NULL", ("id", pending.Id)));

        // The clean-up job runs both purges: a year on, the recent e-mail and the open token are gone too, and the
        // pending rows are still there (a pending message is never deleted, whatever its age).
        server.Clock.SetUtcNow(t0 + TimeSpan.FromDays(365));
        await server.Factory.SendAsync(new RunCleanUp());
        Assert.Equal([pending.Id], await rows.IdsAsync("outgoing_emails"));
        Assert.Equal([notifying.Id], await rows.IdsAsync("logout_notifications"));
        Assert.Empty(await rows.TokensAsync());
    }

    [Fact]
    public async Task On_the_embedded_database_the_same_purges_keep_the_same_rows()
    {
        using var directory = new TempDirectory();
        var clock = TestClock.StartingNow();
        var settings = ServerSettings.For(
            connectionString: "",
            seedFile: directory.WriteFile("seed.json", TestClients.SeedJson()),
            dataDirectory: Directory.CreateDirectory(directory.Combine("data")).FullName);
        await using var factory = new AuthServerFactory(settings, s => s.AddSingleton<TimeProvider>(clock));
        using var http = factory.CreateClient(new() { AllowAutoRedirect = false });
        await Scheduling.PauseAsync(factory);
        var t0 = clock.GetUtcNow();
        var (expired, used, revoked, open, _, _, pending, recent, _, notifying) = await SeedAsync(factory.Services, t0);

        clock.SetUtcNow(t0 + TimeSpan.FromDays(7) + Second);
        Assert.Equal(3, await factory.SendAsync(new PurgeEndedEmailTokens(BatchSize: 2)));
        Assert.Equal(3, await factory.SendAsync(new PurgeSettledOutbox(BatchSize: 2)));

        await using var scope = factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        Assert.Equal(
            new[] { pending.Id, recent.Id }.Order(),
            (await services.GetRequiredService<IOutgoingEmailRepository>().ListAsync(null, 200, CancellationToken.None)).Select(e => e.Id).Order());
        Assert.Equal([notifying.Id], (await services.GetRequiredService<ILogoutNotificationRepository>().ListAsync(null, 200, CancellationToken.None)).Select(n => n.Id));
        var tokens = services.GetRequiredService<IEmailTokenRepository>();
        foreach (var gone in new[] { expired, used, revoked })
        {
            Assert.Null(await tokens.FindByHashAsync(gone.TokenHash, CancellationToken.None));
        }

        Assert.NotNull(await tokens.FindByHashAsync(open.TokenHash, CancellationToken.None));
    }

    /// <summary>
    /// Writes, through the server's repositories: four tokens of one user (expired after 30 minutes, used after an hour,
    /// revoked after an hour, open), e-mails written at <paramref name="t0"/> (delivered, given up, pending with a retry
    /// much later) and one delivered 6 days on, and two logout notifications of <paramref name="t0"/> (delivered, pending).
    /// </summary>
    private static async Task<(EmailToken Expired, EmailToken Used, EmailToken Revoked, EmailToken Open, OutgoingEmail Delivered, OutgoingEmail GivenUp,
        OutgoingEmail Pending, OutgoingEmail Recent, LogoutNotification Notified, LogoutNotification Notifying)> SeedAsync(IServiceProvider root, DateTimeOffset t0)
    {
        // Tokens: one expired after 30 minutes, one used after an hour, one revoked after an hour, one still open.
        var user = User.Register(Guid.NewGuid(), new UserProfile("retention-" + Guid.NewGuid().ToString("N")[..8], "retention@example.com", false, null), null, SecurityStamp.New(), t0);
        var expired = Token(EmailTokenPurpose.PasswordReset, user, TimeSpan.FromMinutes(30), t0);
        var used = Token(EmailTokenPurpose.EmailVerification, user, TimeSpan.FromHours(24), t0);
        Assert.Equal(EmailTokenUse.Usable, used.Consume(EmailTokenPurpose.EmailVerification, user, t0 + TimeSpan.FromHours(1)));
        var revoked = Token(EmailTokenPurpose.Invitation, user, TimeSpan.FromDays(7), t0);
        revoked.Revoke(t0 + TimeSpan.FromHours(1));
        var open = Token(EmailTokenPurpose.Invitation, user, TimeSpan.FromDays(7), t0 + TimeSpan.FromHours(1));

        // Outbox rows written at t0: delivered, given up, still pending (retried much later); and one delivered 6 days on.
        var delivered = Email(t0, e => e.MarkDelivered(t0 + Second));
        var givenUp = Email(t0, e => e.RecordFailure("550 mailbox unavailable", GiveUpAtOnce, t0 + Second));
        var pending = Email(t0, e => e.RecordFailure("421 try again later", RetryMuchLater, t0 + Second));
        var recent = Email(t0 + TimeSpan.FromDays(6), e => e.MarkDelivered(t0 + TimeSpan.FromDays(6)));
        var notified = Notification(t0, n => n.MarkDelivered(t0 + Second));
        var notifying = Notification(t0, n => n.RecordFailure("503", RetryMuchLater, t0 + Second));

        await using (var scope = root.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            services.GetRequiredService<IUserRepository>().Add(user);
            var tokens = services.GetRequiredService<IEmailTokenRepository>();
            foreach (var token in new[] { expired, used, revoked, open })
            {
                tokens.Add(token);
            }

            var emails = services.GetRequiredService<IOutgoingEmailRepository>();
            foreach (var email in new[] { delivered, givenUp, pending, recent })
            {
                emails.Add(email);
            }

            var notifications = services.GetRequiredService<ILogoutNotificationRepository>();
            notifications.Add(notified);
            notifications.Add(notifying);
            Assert.Equal(SaveResult.Saved, await services.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None));
        }

        return (expired, used, revoked, open, delivered, givenUp, pending, recent, notified, notifying);
    }

    private static EmailToken Token(EmailTokenPurpose purpose, User user, TimeSpan lifetime, DateTimeOffset now) =>
        EmailToken.Issue(OpaqueToken.HashOf(OpaqueToken.New()), purpose, user, lifetime, now);

    private static OutgoingEmail Email(DateTimeOffset now, Action<OutgoingEmail> then)
    {
        var email = OutgoingEmail.Create(Guid.NewGuid(), "retention@example.com", "Subject", "text", "<p>html</p>", "email_verification", userId: null, now);
        then(email);
        return email;
    }

    private static LogoutNotification Notification(DateTimeOffset now, Action<LogoutNotification> then)
    {
        var notification = LogoutNotification.Create(Guid.NewGuid(), "retention-client", Guid.NewGuid(), "subject", "https://rp.example/logout", "user_deleted", now);
        then(notification);
        return notification;
    }

    private sealed class Rows(TestDatabase database)
    {
        public Task<long> CountAsync(string table) => database.ScalarAsync<long>($"SELECT count(*) FROM {table}");

        public Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters) => database.ScalarAsync<long>(sql, parameters);

        public async Task<List<Guid>> IdsAsync(string table) => [.. (await database.QueryAsync($"SELECT id FROM {table}")).Select(r => (Guid)r[0]).Order()];

        public async Task<List<string>> TokensAsync() => [.. (await database.QueryAsync("SELECT token_hash FROM email_tokens")).Select(r => (string)r[0])];
    }
}
