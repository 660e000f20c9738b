using MimeKit;

namespace AuthService.Infrastructure.Email;

/// <summary>Hands one message to the outside world: an SMTP server, or the pickup folder.</summary>
internal interface IEmailTransport
{
    /// <summary>Null when the message was accepted, else why not (the transport's error, never the message).</summary>
    Task<string?> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
