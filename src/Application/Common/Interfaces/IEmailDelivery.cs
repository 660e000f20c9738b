namespace AuthService.Application.Common.Interfaces;

/// <summary>How the e-mail outbox leaves this server (docs/adr/0033).</summary>
public interface IEmailDelivery
{
    /// <summary>
    /// True when messages go out through an SMTP server; false when they are only written to the pickup folder (the quick
    /// start), where nobody but the operator reads them: then a link meant for another person is handed to the administrator.
    /// </summary>
    bool SendsMail { get; }
}
