using AuthService.Application.Common.Interfaces;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Email;

/// <summary>Whether the outbox sends real mail: an SMTP server is configured (<c>Auth:Email:Smtp:Host</c>).</summary>
internal sealed class EmailDelivery(IOptions<EmailDeliveryOptions> options) : IEmailDelivery
{
    public bool SendsMail => options.Value.UsesSmtp;
}
