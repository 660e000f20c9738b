using Hangfire.AspNetCore;
using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuthService.Infrastructure.Jobs;

/// <summary>
/// Hangfire logs through Microsoft.Extensions.Logging, but its log provider is one per process (a static
/// that each host configuring Hangfire replaces). When several hosts share a process (the in-process
/// integration tests), one may outlive the host whose logger factory is current; a logger asked of that
/// disposed factory is then a silent one, instead of an <see cref="ObjectDisposedException"/> inside
/// Hangfire's worker that would leave a fetched job unprocessed. One host per process sees no difference.
/// </summary>
internal sealed class HangfireLogProvider(ILoggerFactory loggers) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new AspNetCoreLogProvider(loggers).GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return new AspNetCoreLogProvider(NullLoggerFactory.Instance).GetLogger(name);
        }
    }
}
