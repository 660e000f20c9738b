using AuthService.Domain.Email;
using AuthService.Infrastructure.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AuthService.Infrastructure.Email;

/// <summary>
/// Delivers the outbox of e-mail under the shared <see cref="OutboxWorker{TMessage}"/> leasing and retries, through the
/// configured <see cref="IEmailTransport"/>. The <c>Message-ID</c> is derived from the row's id, so a repeated delivery
/// after a crash is recognisably the same message (at least once, never silently lost).
/// </summary>
internal sealed partial class EmailWorker(
    IServiceScopeFactory scopes,
    IEmailTransport transport,
    IOptions<EmailDeliveryOptions> options,
    TimeProvider clock,
    ILogger<EmailWorker> logger) : OutboxWorker<OutgoingEmail>(scopes, clock)
{
    protected override OutboxOptions Settings => options.Value;

    protected override Task<string?> SendAsync(OutgoingEmail email, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (email.TextBody is null || email.HtmlBody is null)
        {
            return Task.FromResult<string?>("the message has no body");
        }

        // An address the user could store but RFC 5322 cannot carry fails this message (retried, then given up), instead
        // of throwing out of every delivery pass.
        return ToMime(email, options.Value.From) is { } message
            ? transport.SendAsync(message, cancellationToken)
            : Task.FromResult<string?>("the recipient address is not an RFC 5322 mailbox");
    }

    /// <summary>multipart/alternative, text first and HTML last (RFC 2046 §5.1.4: the last part is the preferred one); null for an unusable recipient.</summary>
    internal static MimeMessage? ToMime(OutgoingEmail email, string from)
    {
        // Exactly the stored address, or nothing: "a<b@example.com" must not become a message to b@example.com.
        if (!MailboxAddress.TryParse(email.Recipient, out var to) || !string.Equals(to.Address, email.Recipient, StringComparison.Ordinal))
        {
            return null;
        }

        var message = new MimeMessage { Subject = email.Subject, Date = email.CreatedAt, MessageId = email.Id.ToString("N") + "@authservice" };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(to);
        message.Body = new BodyBuilder { TextBody = email.TextBody, HtmlBody = email.HtmlBody }.ToMessageBody();
        return message;
    }

    protected override void LogDelivered(OutgoingEmail email) => LogDelivered(logger, email.Id, email.Purpose);

    protected override void LogFailed(OutgoingEmail email, string error) => LogFailed(logger, email.Id, email.Purpose, email.Attempts, error);

    protected override void LogPassFailed(Exception exception) => LogPassFailed(logger, exception);

    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "E-mail {EmailId} ({Purpose}) delivered")]
    private static partial void LogDelivered(ILogger logger, Guid emailId, string purpose);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Warning, Message = "E-mail {EmailId} ({Purpose}) failed (attempt {Attempts}): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid emailId, string purpose, int attempts, string error);

    [LoggerMessage(EventId = 3603, Level = LogLevel.Error, Message = "E-mail delivery pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
