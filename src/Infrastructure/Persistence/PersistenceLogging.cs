using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthService.Infrastructure.Persistence;

/// <summary>
/// docs/adr/0041: EF Core's own error events are written at Debug, not Error. Each of them reports an exception that EF
/// Core then throws to its caller, and the caller is the one that knows what it means: a unique-key or
/// optimistic-concurrency conflict is a lost race that <see cref="UnitOfWork"/> turns into a <see cref="Domain.Common.SaveResult"/>
/// (a refresh token used twice, a code redeemed twice, two admins writing at once, an outbox lease taken over), the
/// migrations-history probe of a first start on an empty database is answered by EF Core itself, and anything
/// unexpected reaches the one place that logs it once (the request's exception handler, a worker's pass, Hangfire's
/// job). Left at Error, EF Core wrote two or three entries with stack traces per lost race (command, save, query) on
/// top of that one, so that anyone holding a refresh token could fill the error log, and an outage wrote four entries
/// per request. Debug keeps them available to whoever turns on <c>Microsoft.EntityFrameworkCore</c> at Debug.
/// </summary>
internal static class PersistenceLogging
{
    /// <summary>The events demoted: each is followed by an exception that its caller handles or logs.</summary>
    internal static readonly EventId[] CallerHandledErrors =
    [
        RelationalEventId.CommandError,      // 20102 Microsoft.EntityFrameworkCore.Database.Command
        CoreEventId.SaveChangesFailed,       // 10000 Microsoft.EntityFrameworkCore.Update
        CoreEventId.QueryIterationFailed,    // 10100 Microsoft.EntityFrameworkCore.Query
        RelationalEventId.ConnectionError,   // 20004 Microsoft.EntityFrameworkCore.Database.Connection
        RelationalEventId.TransactionError,  // 20205 Microsoft.EntityFrameworkCore.Database.Transaction
    ];

    /// <summary>Applies <see cref="Configure"/> to the database context of either provider, whatever registers it.</summary>
    public static IServiceCollection AddPersistenceLogging(this IServiceCollection services)
    {
        services.ConfigureDbContext<PostgresAuthDbContext>(options => Configure(options));
        services.ConfigureDbContext<SqliteAuthDbContext>(options => Configure(options));
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(warnings => warnings.Log([.. CallerHandledErrors.Select(id => (id, LogLevel.Debug))]));
}
