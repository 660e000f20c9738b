using AuthService.Application.Common.Interfaces;
using AuthService.Application.SigningKeys;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Hangfire (docs/adr/0015): with PostgreSQL, its PostgreSQL storage in schema <c>hangfire</c> of the same
/// database, shared by every replica, so each occurrence of a recurring job is enqueued once (under the
/// storage's distributed lock) and taken by one worker of one replica; with the embedded database, the
/// in-memory storage (one process, as before).
/// </summary>
internal static class JobsRegistration
{
    public const string PostgresSchema = "hangfire";

    /// <summary>How long a run waits for a run of the same job still going on another replica before it fails.</summary>
    public const int OverlapWaitSeconds = 30;

    /// <summary>
    /// A replica that dies mid-run stops extending its claim on the job (sliding invisibility, extended every
    /// fifth of this), so after this time another replica's worker takes the job again; the same bound
    /// frees a distributed lock the dead replica held (the overlap lock, the recurring scheduler's lock).
    /// Both far above a run's length (under a second; a few with RSA key generation).
    /// </summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <summary>On stop, a run in progress gets this long to finish before its token is cancelled: shutdown waits for a running job.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    public static IServiceCollection AddScheduledJobs(this IServiceCollection services, IConfiguration configuration, string? postgresConnectionString)
    {
        var rotation = configuration.GetSection(SigningKeyRotationOptions.SectionName).Get<SigningKeyRotationOptions>() ?? new SigningKeyRotationOptions();
        var purgeInterval = TimeSpan.FromSeconds(configuration.GetValue($"{AuthServerOptions.SectionName}:{nameof(AuthServerOptions.RevocationPurgeIntervalSeconds)}", 3600));
        // The storage and the activator are this container's own, not Hangfire's process-wide defaults
        // (JobStorage.Current, JobActivator.Current), so that two hosts in one process (the integration
        // tests) never run each other's jobs or share a database.
        services.AddSingleton<JobStorage>(postgresConnectionString is null
            ? _ => new InMemoryStorage()
            : _ => new PostgreSqlStorage(new NpgsqlConnectionFactory(postgresConnectionString, PostgresOptions()), PostgresOptions()));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, config) => config
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<ILoggerFactory>(), provider.GetRequiredService<Persistence.DatabaseOutage>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        var shortest = RecurringInterval.Effective(rotation.CheckInterval < purgeInterval ? rotation.CheckInterval : purgeInterval);
        services.AddHangfireServer(server =>
        {
            server.ServerName = $"authservice:{Environment.MachineName}"; // Hangfire appends the process id and a unique suffix
            server.WorkerCount = 4; // two jobs, plus room for a run waiting on the other's lock
            // How often a replica looks for a due occurrence (one replica enqueues it, under a lock).
            server.SchedulePollingInterval = Clamp(shortest / 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
            server.StopTimeout = StopTimeout;
            server.ShutdownTimeout = StopTimeout + TimeSpan.FromSeconds(5);
        });
        services.AddHostedService(sp => new RecurringJobSchedule(
            sp.GetRequiredService<IRecurringJobManagerV2>(), rotation.CheckInterval, purgeInterval, sp.GetRequiredService<ILogger<RecurringJobSchedule>>()));
        services.AddHostedService<SigningKeyRingRefresher>();
        services.AddSingleton<IScheduledJobs, HangfireScheduledJobs>();
        return services;
    }

    /// <summary>
    /// Creates or upgrades Hangfire's tables in their own schema with Hangfire's installer: called with the
    /// EF Core migrations (on start unless <c>Auth:MigrateOnStart</c> is false, and by the <c>migrate</c>
    /// command), under the same start-up lock, so the storage itself never alters the schema.
    /// </summary>
    public static async Task InstallPostgresSchemaAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        PostgreSqlObjectsInstaller.Install(connection, PostgresSchema);
    }

    private static PostgreSqlStorageOptions PostgresOptions() => new()
    {
        SchemaName = PostgresSchema,
        PrepareSchemaIfNecessary = false,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        InvisibilityTimeout = AbandonedAfter,
        UseSlidingInvisibilityTimeout = true,
        DistributedLockTimeout = AbandonedAfter,
    };

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
