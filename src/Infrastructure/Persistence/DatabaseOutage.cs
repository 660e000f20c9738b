using Microsoft.Extensions.Logging;

namespace AuthService.Infrastructure.Persistence;

/// <summary>
/// docs/adr/0041: the process's one record of whether the database is down, so that background work (the outbox workers,
/// the key-ring refresher, Hangfire's jobs and its own server loops) announces an outage once, with its cause, and its
/// end once, instead of each loop writing an error with a stack trace on every retry. Requests are not counted here:
/// each failing request writes its own entry (the exception handler), which is what an operator correlates with errors
/// seen by clients.
/// </summary>
public sealed partial class DatabaseOutage(ILogger<DatabaseOutage> logger)
{
    private int _down;

    /// <summary>
    /// True when <paramref name="exception"/> means the database is unreachable (<see cref="StoreFaults.IsUnavailable"/>):
    /// the first such report of an outage is logged here, later ones are not. False for any other failure, which the
    /// caller logs as its own.
    /// </summary>
    public bool Report(Exception exception, string component)
    {
        if (!StoreFaults.IsUnavailable(exception))
        {
            return false;
        }

        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            LogUnavailable(logger, component, StoreFaults.Describe(exception));
        }
        else
        {
            LogStillUnavailable(logger, component, StoreFaults.Describe(exception));
        }

        return true;
    }

    /// <summary>A background pass reached the database: ends an outage that was reported (and says so, once).</summary>
    public void Reachable()
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            LogReachable(logger);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning,
        Message = "The database is unavailable ({Cause}), first seen by {Component}. Background work retries on its own schedule, readiness (/readyz) fails and requests that need the database answer 503 until it is back.")]
    private static partial void LogUnavailable(ILogger logger, string component, string cause);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "The database is still unavailable for {Component} ({Cause})")]
    private static partial void LogStillUnavailable(ILogger logger, string component, string cause);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "The database is reachable again; background work has resumed")]
    private static partial void LogReachable(ILogger logger);
}
