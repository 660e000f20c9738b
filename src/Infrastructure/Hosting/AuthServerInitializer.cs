using AuthService.Application.Seeding.Commands.ApplySeed;
using AuthService.Application.SigningKeys.Commands.EnsureSigningKeys;
using AuthService.Infrastructure.Persistence;
using AuthService.Infrastructure.Seeding;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AuthService.Infrastructure.Hosting;

/// <summary>
/// What runs before the server accepts requests: migrations, signing keys, the seed file. A failure
/// stops the start with a clear message instead of serving half-initialised.
/// </summary>
public static partial class AuthServerInitializer
{
    /// <summary>Any fixed number, the same in every replica: the key of the start-up advisory lock.</summary>
    private const long StartupLockKey = 0x4175_7468_5376_6301;

    public static async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<AuthServerOptions>>().Value;

        // Replicas starting together on one database take turns (RFC 8414 §3.3). EF Core's own migration
        // lock is released after each migration, so two replicas could both apply a later one; and
        // two seeds applied at once would both insert the same client.
        await using var startupLock = await AcquireStartupLockAsync(services, cancellationToken);

        // Each step gets its own scope (and so its own DbContext): a step that ends in a handled
        // conflict, such as losing the first-start key race to another replica, leaves nothing
        // behind for the next step's save to trip over.
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            if (db is SqliteAuthDbContext || options.MigrateOnStart)
            {
                var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthServerInitializer).FullName!);
                await MigrateAsync(db, logger, cancellationToken);
            }
        }

        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new EnsureSigningKeys(), cancellationToken);
        }

        if (!string.IsNullOrWhiteSpace(options.SeedFile))
        {
            await using var scope = services.CreateAsyncScope();
            var environment = scope.ServiceProvider.GetRequiredService<IHostEnvironment>();
            var path = Path.GetFullPath(options.SeedFile, environment.ContentRootPath);
            var document = await SeedFileReader.ReadAsync(path, cancellationToken);
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ApplySeed(document), cancellationToken);
        }
    }

    /// <summary>Applies pending migrations (the <c>migrate</c> command and the start-up path).</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var startupLock = await AcquireStartupLockAsync(services, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthServerInitializer).FullName!);
        await MigrateAsync(scope.ServiceProvider.GetRequiredService<AuthDbContext>(), logger, cancellationToken);
    }

    private static async Task MigrateAsync(AuthDbContext db, ILogger logger, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogMigrating(logger, pending.Count, db.Database.ProviderName ?? "?");
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db is PostgresAuthDbContext)
        {
            await Jobs.JobsRegistration.InstallPostgresSchemaAsync(db.Database.GetConnectionString()!, cancellationToken);
        }

        if (db is SqliteAuthDbContext)
        {
            // Write-ahead logging lets readers proceed while a write commits.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>
    /// A PostgreSQL advisory lock held by an open transaction on a connection of its own, so that
    /// disposing it (or the process dying) always releases it, even with connection pooling. Null for
    /// the embedded database, which only one process uses.
    /// </summary>
    private static async Task<StartupLock?> AcquireStartupLockAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        if (scope.ServiceProvider.GetRequiredService<AuthDbContext>() is not PostgresAuthDbContext db)
        {
            return null;
        }

        var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // The wait is for another replica's migrations and seeding, which may take longer than a query's 30 s on a busy
            // database (a replica that gave up would only restart and wait again); PostgreSQL frees the lock if its holder dies.
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction) { CommandTimeout = 300 };
            command.Parameters.AddWithValue("key", StartupLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new StartupLock(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class StartupLock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Rolling back ends the transaction, which releases the lock.
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Applying {Count} database migrations ({Provider})")]
    private static partial void LogMigrating(ILogger logger, int count, string provider);

    internal static string SqliteConnectionString(string databasePath) =>
        new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadWriteCreate, Cache = SqliteCacheMode.Default, Pooling = true }.ToString();
}
