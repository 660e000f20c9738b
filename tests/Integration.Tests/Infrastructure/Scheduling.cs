using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>The server's Quartz scheduler and the <c>qrtz_</c> tables of its clustered store.</summary>
public static class Scheduling
{
    public const string RotationJob = "signing-key-rotation";
    public const string PurgeJob = "revocation-purge";

    /// <summary>
    /// Stops the scheduled jobs from firing by themselves, so a test drives them alone: this scheduler
    /// goes to standby and every trigger is paused (in the clustered store, that pauses them for every
    /// replica on the database; a trigger already acquired but not yet fired is then skipped), and it
    /// waits until no job is still executing (the firing at start). Needed for a server on a
    /// <see cref="FakeTimeProvider"/>: Quartz reads the same clock, and moving it makes triggers due.
    /// </summary>
    public static async Task PauseAsync(WebApplicationFactory<Program> factory, TestDatabase database)
    {
        var scheduler = await factory.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.Standby();
        await scheduler.PauseAll();
        await Poll.UntilAsync(
            () => database.ScalarAsync<long>("SELECT count(*) FROM qrtz_fired_triggers WHERE state = 'EXECUTING'"),
            executing => executing == 0,
            TimeSpan.FromSeconds(30),
            "the jobs fired at start to finish",
            executing => $"{executing} still executing");
    }

    /// <summary>The <c>qrtz_</c> tables in the database (Quartz creates them on a fresh database).</summary>
    public static async Task<List<string>> QuartzTablesAsync(TestDatabase database) =>
        [.. (await database.QueryAsync(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'qrtz\\_%' ORDER BY table_name"))
            .Select(r => (string)r[0])];
}
