using AuthService.Application.Common.Interfaces;
using AuthService.Application.Email;
using AuthService.Domain.Common;
using AuthService.Domain.Tenants;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tenants.Common;

/// <summary>
/// Draws an invitation's link and writes its message (the outbox of docs/adr/0033), for a new invitation and for a re-send
/// alike: a fresh token whose hash the invitation keeps, and the link returned only when this server sends no mail.
/// </summary>
public sealed class TenantInvitationMail(EmailLinks links, IEmailDelivery delivery, IOptions<EmailOptions> options)
{
    public TimeSpan Lifetime => options.Value.TenantInvitationLifetime;

    /// <summary>
    /// <paramref name="store"/> gets the new token's hash and returns the invitation holding it; the message joins the caller's
    /// unit of work. Returns the link for the administrator when no SMTP server is configured, otherwise null.
    /// </summary>
    public string? Send(Tenant tenant, Func<string, TenantInvitation> store, DateTimeOffset now)
    {
        var token = OpaqueToken.New();
        var invitation = store(OpaqueToken.HashOf(token));
        var link = links.SendTenantInvitation(invitation, tenant, token, now);
        return delivery.SendsMail ? null : link;
    }
}
