using System.Data.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Protocol;
using AuthService.Domain.Common;
using AuthService.Infrastructure.Persistence;
using AuthService.WebApi.Protocol;
using Microsoft.AspNetCore.Diagnostics;

namespace AuthService.WebApi.Middleware;

/// <summary>
/// Last-resort mapping of exceptions to responses. Protocol paths answer RFC 6749 JSON, everything else
/// RFC 9457 problem details. Bad input is a 4xx; an unreachable database is a 503 with Retry-After
/// (fail closed, ASVS 16.5.3); anything else is a bare 500. No message, stack trace or SQL reaches the client.
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

        if (httpContext.Request.Path.StartsWithSegments(Endpoints.Admin.AdminApi.Prefix) && AdminProblem(httpContext, exception) is { } problem)
        {
            httpContext.Response.StatusCode = problem.Status!.Value;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
        }

        var (status, error) = Classify(exception);
        if (status >= 500)
        {
            LogFailure(httpContext.Request.Path, status, exception);
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
        RequestValidationException => (StatusCodes.Status400BadRequest, OAuthError.RequestInvalid),
        BadHttpRequestException bad => (bad.StatusCode, OAuthError.RequestUnreadable),
        ConflictException or StateConflictException => (StatusCodes.Status409Conflict, OAuthError.ConcurrentChange),
        _ when IsStoreUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, OAuthError.TemporarilyUnavailable),
        _ => (StatusCodes.Status500InternalServerError, OAuthError.ServerError),
    };

    /// <summary>
    /// The admin API's answers to refused requests (RFC 9457): 400 naming each offending field, 404, 403 for
    /// an action refused whatever the input, 412 for a stale <c>If-Match</c> (also when the race is lost at the
    /// save), 409 for a duplicate or a lost race without a condition. Null: not an admin refusal.
    /// </summary>
    private static Microsoft.AspNetCore.Mvc.ProblemDetails? AdminProblem(HttpContext httpContext, Exception exception)
    {
        var conditional = httpContext.Request.Headers.IfMatch.Count > 0;
        return exception switch
        {
            RequestValidationException invalid => Validation(invalid.Errors),
            DomainRuleViolationException rule => Validation(new Dictionary<string, string[]> { [rule.Field] = [rule.Message] }),
            BadHttpRequestException { InnerException: System.Text.Json.JsonException json } => Validation(JsonError(json)),
            BadHttpRequestException bad => new() { Status = bad.StatusCode, Title = "The request could not be read.", Detail = FirstSentence(bad.Message) },
            NotFoundException notFound => new() { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = notFound.Message },
            ForbiddenOperationException forbidden => new() { Status = StatusCodes.Status403Forbidden, Title = "Forbidden.", Detail = forbidden.Message },
            PreconditionFailedException stale => new() { Status = StatusCodes.Status412PreconditionFailed, Title = "Precondition failed.", Detail = stale.Message },
            StateConflictException state => new() { Status = StatusCodes.Status409Conflict, Title = "Conflict.", Detail = state.Message },
            ConflictException { Conflict: SaveResult.ConcurrencyConflict } when conditional => new()
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Title = "Precondition failed.",
                Detail = "The resource changed while this request was applied. Read it again and retry.",
            },
            ConflictException { Conflict: SaveResult.ConcurrencyConflict } => new() { Status = StatusCodes.Status409Conflict, Title = "Conflict.", Detail = "The resource changed while this request was applied. Read it again and retry." },
            ConflictException => new() { Status = StatusCodes.Status409Conflict, Title = "Conflict.", Detail = "A resource with this identifier or unique value already exists." },
            _ => null,
        };
    }

    /// <summary>
    /// A body that is not the request's JSON, named by its member (<c>$.client_secret</c> -> <c>client_secret</c>),
    /// with our own words: the serializer's message names .NET types, which are nobody's business.
    /// </summary>
    private static Dictionary<string, string[]> JsonError(System.Text.Json.JsonException json)
    {
        var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
        var message = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "This member is not part of the request (unknown members are refused, not ignored)."
            : field == "body" ? "The body is not a JSON object of this request." : "The value has the wrong type or format.";
        if (field == "body" && json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            && System.Text.RegularExpressions.Regex.Match(json.Message, "property '([^']{1,100})'") is { Success: true } member)
        {
            field = member.Groups[1].Value;
        }

        return new Dictionary<string, string[]> { [field] = [message] };
    }

    private static Microsoft.AspNetCore.Mvc.ProblemDetails Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
        };

    /// <summary>Framework messages can run on with line and byte positions; the first sentence is what helps.</summary>
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var text = end > 0 ? message[..(end + 1)] : message;
        return text.Length > 300 ? text[..300] : text;
    }

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

    /// <summary>
    /// docs/adr/0041: the one entry of a failed request (ASP.NET Core's exception handler writes none for an exception
    /// handled here, and EF Core's own error events are at Debug). An outage is named as one, with its cause and without
    /// a stack trace: the trace is the same for every request and says nothing the cause does not. Anything else keeps
    /// its stack trace, which is what finds a bug.
    /// </summary>
    private void LogFailure(PathString path, int status, Exception exception)
    {
        if (StoreFaults.IsUnavailable(exception))
        {
            LogDatabaseUnavailable(logger, path, status, StoreFaults.Describe(exception));
        }
        else
        {
            LogServerFault(logger, exception, path, status);
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Request to {Path} failed with {Status}")]
    private static partial void LogServerFault(ILogger logger, Exception exception, PathString path, int status);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "Request to {Path} failed with {Status}: the database is unavailable ({Cause})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, PathString path, int status, string cause);
}
