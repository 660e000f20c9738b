using System.Data.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Common;
using AuthService.WebApi.Protocol;
using Microsoft.AspNetCore.Diagnostics;

namespace AuthService.WebApi.Middleware;

/// <summary>
/// Last-resort mapping of exceptions to responses. Protocol paths answer RFC 6749 JSON, everything else
/// RFC 9457 problem details. Bad input is a 4xx; an unreachable database is a 503 with Retry-After
/// (fail closed, REL-009); anything else is a bare 500. No message, stack trace or SQL reaches the client.
/// </summary>
public sealed partial class ExceptionMapping(ILogger<ExceptionMapping> logger, IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer and nothing went wrong on our side.
            return true;
        }

        var (status, error) = Classify(exception);
        if (status >= 500)
        {
            LogServerFault(logger, exception, httpContext.Request.Path, status);
        }

        if (IsProtocolPath(httpContext.Request.Path))
        {
            await OAuthResults.Error(error, usedBasicAuthentication: false).ExecuteAsync(httpContext);
            return true;
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = error.Description },
        });
    }

    private static (int Status, OAuthError Error) Classify(Exception exception) => exception switch
    {
        RequestValidationException => (StatusCodes.Status400BadRequest, OAuthError.InvalidRequest("The request is invalid.")),
        BadHttpRequestException bad => (bad.StatusCode, OAuthError.InvalidRequest("The request could not be read.")),
        ConcurrencyConflictException or UniquenessConflictException => (StatusCodes.Status409Conflict, OAuthError.InvalidRequest("The request conflicts with a concurrent change.")),
        _ when IsStoreUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, OAuthError.TemporarilyUnavailable),
        _ => (StatusCodes.Status500InternalServerError, OAuthError.ServerError),
    };

    private static bool IsStoreUnavailable(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DbException or TimeoutException or System.Net.Sockets.SocketException or TemporarilyUnavailableException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsProtocolPath(PathString path) =>
        path.StartsWithSegments("/connect") || path.StartsWithSegments("/.well-known");

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Request to {Path} failed with {Status}")]
    private static partial void LogServerFault(ILogger logger, Exception exception, PathString path, int status);
}
