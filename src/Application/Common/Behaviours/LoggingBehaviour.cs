using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace AuthService.Application.Common.Behaviours;

/// <summary>
/// Logs which use case ran and how long it took. It logs the request's type name only: requests carry
/// client secrets, codes and tokens, so they are never logged whole.
/// </summary>
public sealed partial class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly string RequestName = typeof(TRequest).Name;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return await next();
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            return await next();
        }
        finally
        {
            LogHandled(logger, RequestName, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Handled {RequestName} in {ElapsedMilliseconds:0.000} ms")]
    private static partial void LogHandled(ILogger logger, string requestName, double elapsedMilliseconds);
}
