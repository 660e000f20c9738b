using AuthService.Infrastructure.Persistence;
using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Hangfire logs through Microsoft.Extensions.Logging, but its log provider is one per process (a static
/// that each host configuring Hangfire replaces). When several hosts share a process (the in-process
/// integration tests), one may outlive the host whose logger factory is current; a logger asked of that
/// disposed factory is then a silent one, instead of an <see cref="ObjectDisposedException"/> inside
/// Hangfire's worker that would leave a fetched job unprocessed. One host per process sees no difference.
/// <para>
/// docs/adr/0041: while the database is down, every loop of Hangfire's server (heartbeat, workers, schedulers, the
/// expiration manager) writes a warning or error with a stack trace at each retry. Those whose exception is an outage
/// (<see cref="StoreFaults.IsUnavailable"/>) go to <see cref="DatabaseOutage"/>, which announces the outage once, and
/// are themselves written at Debug; anything else Hangfire reports keeps its level.
/// </para>
/// </summary>
internal sealed class HangfireLogProvider(Microsoft.Extensions.Logging.ILoggerFactory loggers, DatabaseOutage outage) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        ILog inner;
        try
        {
            inner = new AspNetCoreLogProvider(loggers).GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            inner = new AspNetCoreLogProvider(NullLoggerFactory.Instance).GetLogger(name);
        }

        return new OutageAwareLog(inner, outage, name);
    }

    private sealed class OutageAwareLog(ILog inner, DatabaseOutage outage, string name) : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) =>
            messageFunc is not null && exception is not null && logLevel >= LogLevel.Warn && outage.Report(exception, name)
                ? inner.Log(LogLevel.Debug, messageFunc, exception)
                : inner.Log(logLevel, messageFunc, exception);
    }
}
