using System.Net.Sockets;
using System.Security.Authentication;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AuthService.Infrastructure.Email;

/// <summary>Sends through the configured SMTP server with MailKit: STARTTLS required unless <c>UseTls</c> is false, one connection per message.</summary>
internal sealed class SmtpEmailTransport(IOptions<EmailDeliveryOptions> options) : IEmailTransport
{
    public async Task<string?> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var smtp = settings.Smtp;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RequestTimeout);
        using var client = new SmtpClient { Timeout = (int)settings.RequestTimeout.TotalMilliseconds };
        try
        {
            // RFC 8314 §3.3: implicit TLS on 465; elsewhere STARTTLS (RFC 3207), required, never "when available".
            var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
            await client.ConnectAsync(smtp.Host!, smtp.Port, security, timeout.Token);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", timeout.Token);
            }

            await client.SendAsync(message, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "the SMTP server did not answer in time";
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException
                                       or MailKit.Security.AuthenticationException or SslHandshakeException or System.Security.Authentication.AuthenticationException
                                       or SocketException or IOException or NotSupportedException)
        {
            // The server's reply or the transport failure: never the message (its link is a secret).
            return $"SMTP {smtp.Host}:{smtp.Port}: {ex.GetType().Name}: {ex.Message}";
        }
    }
}
