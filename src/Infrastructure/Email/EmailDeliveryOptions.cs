using AuthService.Infrastructure.Outbox;

namespace AuthService.Infrastructure.Email;

/// <summary>
/// The <c>Auth:Email</c> section as the delivery sees it: the sender, the SMTP server (when <c>Smtp:Host</c> is set) or else
/// the pickup folder, and the outbox's poll, retries and lease (<see cref="OutboxOptions"/>).
/// </summary>
public sealed class EmailDeliveryOptions : OutboxOptions
{
    public const string SectionName = "Auth:Email";

    /// <summary>The <c>From</c> address (RFC 5322 §3.6.2), e.g. <c>AuthService &lt;no-reply@example.com&gt;</c>.</summary>
    public string From { get; set; } = "AuthService <no-reply@localhost>";

    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Without SMTP, each message is written here as an <c>.eml</c> file; default <c>mail/</c> in the data directory.</summary>
    public string? PickupDirectory { get; set; }

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    public bool HasValidFrom => MimeKit.MailboxAddress.TryParse(From, out var address) && address.Address.Contains('@', StringComparison.Ordinal);

    public sealed class SmtpSettings
    {
        public string? Host { get; set; }

        public int Port { get; set; } = 587;

        public string? Username { get; set; }

        public string? Password { get; set; }

        /// <summary>
        /// TLS is required (RFC 3207 STARTTLS, or implicit TLS on port 465, RFC 8314 §3.3); false only for a relay on a
        /// trusted network or a test server, as credentials and links would cross the network in clear.
        /// </summary>
        public bool UseTls { get; set; } = true;

        public override string ToString() => $"SmtpSettings {{ Host = {Host}, Port = {Port}, Username = {Username}, Password = (redacted), UseTls = {UseTls} }}";
    }
}
