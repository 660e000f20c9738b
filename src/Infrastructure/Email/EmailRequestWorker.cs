using AuthService.Application.Email;
using AuthService.Domain.Email;
using AuthService.Infrastructure.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Email;

/// <summary>
/// Resolves the links asked for by address (<see cref="EmailRequest"/>) under the shared <see cref="OutboxWorker{TMessage}"/>
/// lease, on the <c>Auth:Email</c> poll: the token and the message (or the "no account" notice) are added to the same unit
/// of work that marks the request handled, and the base class saves them in one go. A worker whose lease ran out while
/// another took the row over loses that save on the request's version, token and message included, so each request is
/// answered once. The messages written here are then sent by the <see cref="EmailWorker"/>.
/// </summary>
internal sealed partial class EmailRequestWorker(
    IServiceScopeFactory scopes,
    IOptions<EmailDeliveryOptions> options,
    TimeProvider clock,
    ILogger<EmailRequestWorker> logger) : OutboxWorker<EmailRequest>(scopes, clock)
{
    protected override OutboxOptions Settings => options.Value;

    protected override async Task<string?> SendAsync(EmailRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<EmailRequestResolver>().ResolveAsync(request, Clock.GetUtcNow(), cancellationToken);
        return null;
    }

    protected override void LogDelivered(EmailRequest request) => LogHandled(logger, request.Id, request.Kind);

    protected override void LogFailed(EmailRequest request, string error) => LogFailed(logger, request.Id, request.Kind, request.Attempts, error);

    protected override void LogPassFailed(Exception exception) => LogPassFailed(logger, exception);

    // Never the address: the log would tell who asked for a link.
    [LoggerMessage(EventId = 3611, Level = LogLevel.Information, Message = "E-mail request {RequestId} ({Kind}) handled")]
    private static partial void LogHandled(ILogger logger, Guid requestId, EmailRequestKind kind);

    [LoggerMessage(EventId = 3612, Level = LogLevel.Warning, Message = "E-mail request {RequestId} ({Kind}) failed (attempt {Attempts}): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid requestId, EmailRequestKind kind, int attempts, string error);

    [LoggerMessage(EventId = 3613, Level = LogLevel.Error, Message = "E-mail request pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
