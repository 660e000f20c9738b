using AuthService.Application.SigningKeys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Quartz: with PostgreSQL, the clustered ADO job store (tables created by Quartz on a fresh database),
/// so each trigger fires on exactly one replica; with the embedded database, the in-memory store
/// (one process). See docs/adr/0011.
/// </summary>
internal static class JobsRegistration
{
    public static IServiceCollection AddScheduledJobs(this IServiceCollection services, IConfiguration configuration, string? postgresConnectionString)
    {
        var rotation = configuration.GetSection(SigningKeyRotationOptions.SectionName).Get<SigningKeyRotationOptions>() ?? new SigningKeyRotationOptions();
        var purgeInterval = TimeSpan.FromSeconds(configuration.GetValue($"{AuthServerOptions.SectionName}:{nameof(AuthServerOptions.RevocationPurgeIntervalSeconds)}", 3600));
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(s =>
            {
                s.InstanceName = "authservice";
                s.GenerateInstanceId = true;
            });
            if (postgresConnectionString is not null)
            {
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(postgresConnectionString);
                    store.UseSerializer<Quartz.Impl.SystemTextJsonObjectSerializer>();
                    store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(10));
                    store.ProvisionSchema();
                });
            }
            else
            {
                quartz.UseInMemoryStore(_ => { });
            }

            quartz.ScheduleJob<SigningKeyRotationJob>(
                trigger => trigger.WithIdentity("signing-key-rotation", "authservice").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(rotation.CheckInterval).RepeatForever()),
                job => job.WithIdentity(SigningKeyRotationJob.Key));
            quartz.ScheduleJob<RevocationPurgeJob>(
                trigger => trigger.WithIdentity("revocation-purge", "authservice").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(purgeInterval).RepeatForever()),
                job => job.WithIdentity(RevocationPurgeJob.Key));
        });
        // A replica that starts must not replace the stored triggers: a replacement lets a replica that
        // had already acquired the old trigger fire it while the new one fires too (found by
        // MultiProcessTests). The stored schedule stays; docs/operations.md says how to change it.
        services.Configure<QuartzOptions>(options =>
        {
            options.Scheduling.OverwriteExistingData = false;
            options.Scheduling.IgnoreDuplicates = true;
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddHostedService<SigningKeyRingRefresher>();
        services.AddSingleton<Application.Common.Interfaces.IScheduledJobs, QuartzScheduledJobs>();
        return services;
    }
}
