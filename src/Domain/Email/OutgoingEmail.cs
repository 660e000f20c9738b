using AuthService.Domain.Common;

namespace AuthService.Domain.Email;

/// <summary>
/// One e-mail to send: the transactional outbox row written in the same save as the action that causes it (a verification,
/// a password reset), so a stored action is a stored message, delivered at least once by the e-mail worker under the shared
/// <see cref="OutboxMessage"/> rules (lease, retries with backoff, give-up). The bodies carry a single-use link, which is a
/// secret: they are kept only until the message is delivered or given up, and never shown by the admin API or logged.
/// </summary>
public sealed class OutgoingEmail : OutboxMessage
{
    public const int MaxSubjectLength = 200;
    public const int MaxPurposeLength = 32;

    private OutgoingEmail()
    {
        Recipient = null!;
        Subject = null!;
        Purpose = null!;
    }

    /// <summary>The address the message goes to, as the user entered it.</summary>
    public string Recipient { get; private set; }

    public string Subject { get; private set; }

    /// <summary>The plain-text body; null once the message is settled.</summary>
    public string? TextBody { get; private set; }

    /// <summary>The HTML alternative; null once the message is settled.</summary>
    public string? HtmlBody { get; private set; }

    /// <summary>What the message is for (<c>email_verification</c>, <c>password_reset</c>): shown to administrators instead of the body.</summary>
    public string Purpose { get; private set; }

    /// <summary>The user the message is about.</summary>
    public Guid? UserId { get; private set; }

    public static OutgoingEmail Create(Guid id, string recipient, string subject, string textBody, string htmlBody, string purpose, Guid? userId, DateTimeOffset now)
    {
        Guard.Against(string.IsNullOrWhiteSpace(recipient) || recipient.Length > Users.User.MaxEmailLength, "recipient", "A message needs one recipient address.");
        Guard.Against(string.IsNullOrWhiteSpace(subject) || subject.Length > MaxSubjectLength || subject.Any(char.IsControl), "subject",
            $"A subject is one line of at most {MaxSubjectLength} characters.");
        Guard.Against(string.IsNullOrEmpty(textBody) || string.IsNullOrEmpty(htmlBody), "body", "A message has a text and an HTML body.");
        Guard.Against(string.IsNullOrEmpty(purpose) || purpose.Length > MaxPurposeLength, "purpose", "A message says what it is for.");
        var email = new OutgoingEmail
        {
            Recipient = recipient,
            Subject = subject,
            TextBody = textBody,
            HtmlBody = htmlBody,
            Purpose = purpose,
            UserId = userId,
        };
        email.Enqueue(id, now);
        return email;
    }

    /// <summary>The link inside is a secret that has served its purpose: it is not kept once the message is sent or given up.</summary>
    protected override void OnSettled()
    {
        TextBody = null;
        HtmlBody = null;
    }

    /// <summary>Never the bodies: they hold a single-use link.</summary>
    public override string ToString() => $"OutgoingEmail {{ Id = {Id}, Purpose = {Purpose}, Status = {Status} }}";
}
