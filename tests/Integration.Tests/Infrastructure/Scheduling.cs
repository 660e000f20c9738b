using Hangfire;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>The server's Hangfire job server and the tables of its PostgreSQL storage (schema <c>hangfire</c>).</summary>
public static class Scheduling
{
    public const string RotationJob = "signing-key-rotation";
    public const string PurgeJob = "revocation-purge";

    /// <summary>
    /// Stops the scheduled jobs from running by themselves, so a test drives them alone: this server's
    /// Hangfire job server stops (the only one on the test's database), which waits until no job is still
    /// running (the first occurrences at start). Needed for a server on a <see cref="FakeTimeProvider"/>:
    /// the handlers read that clock, so a run at an arbitrary moment would rotate or purge behind the test.
    /// </summary>
    public static async Task PauseAsync(WebApplicationFactory<Program> factory)
    {
        foreach (var server in factory.Services.GetServices<IHostedService>().OfType<BackgroundJobServerHostedService>())
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await server.StopAsync(timeout.Token);
        }
    }

    /// <summary>The tables of Hangfire's storage in the database (its installer creates them with the migrations).</summary>
    public static async Task<List<string>> HangfireTablesAsync(TestDatabase database) =>
        [.. (await database.QueryAsync(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'hangfire' ORDER BY table_name"))
            .Select(r => (string)r[0])];

    /// <summary>
    /// Every run of a recurring job that Hangfire recorded: one row per Processing state (a job taken by a
    /// worker) with the server that took it and when and how that run ended; null while it runs, and for
    /// good when its server died and another worker took the job again.
    /// </summary>
    public static async Task<List<JobRun>> RunsAsync(TestDatabase database, string recurringJobId) =>
        [.. (await database.QueryAsync(
                """
                SELECT p.jobid, p.createdat, p.data::jsonb ->> 'ServerId', e.createdat, e.name
                FROM hangfire.state p
                LEFT JOIN LATERAL (
                    SELECT s.createdat, s.name FROM hangfire.state s
                    WHERE s.jobid = p.jobid AND s.id > p.id AND s.name IN ('Succeeded', 'Failed', 'Deleted')
                      AND NOT EXISTS (SELECT 1 FROM hangfire.state q WHERE q.jobid = p.jobid AND q.name = 'Processing' AND q.id > p.id AND q.id < s.id)
                    ORDER BY s.id LIMIT 1) e ON true
                JOIN hangfire.jobparameter r ON r.jobid = p.jobid AND r.name = 'RecurringJobId' AND r.value = @id
                WHERE p.name = 'Processing'
                ORDER BY p.createdat, p.id
                """, ("id", $"\"{recurringJobId}\"")))
            .Select(r => new JobRun(Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture), ToUtc(r[1]), (string)r[2], r[3] is DBNull ? null : ToUtc(r[3]), r[4] as string))];

    private static DateTime ToUtc(object value) => value switch
    {
        DateTimeOffset offset => offset.UtcDateTime,
        DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        _ => throw new InvalidOperationException($"Unexpected timestamp {value.GetType()}"),
    };
}

/// <summary>One run of a job: which job, when a worker took it, on which Hangfire server, when and how it ended (null while running).</summary>
public sealed record JobRun(long JobId, DateTime StartedAt, string ServerId, DateTime? EndedAt, string? Outcome);
