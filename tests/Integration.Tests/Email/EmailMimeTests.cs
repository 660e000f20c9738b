using AuthService.Domain.Email;
using AuthService.Infrastructure.Email;
using MimeKit;

namespace AuthService.Integration.Tests.Email;

/// <summary>How an outbox row becomes a MIME message: text and HTML alternatives, a stable Message-ID, and only the stored recipient.</summary>
public sealed class EmailMimeTests
{
    private static OutgoingEmail Row(string recipient) => OutgoingEmail.Create(Guid.NewGuid(), recipient, "Reset your password",
        "Choose a new password: https://as.example/account/reset-password?token=t", "<p>html</p>", "password_reset", null,
        new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_row_becomes_text_then_html_with_a_message_id_of_its_own()
    {
        var row = Row("alice@example.com");

        var message = EmailWorker.ToMime(row, "AuthService <no-reply@auth.example>")!;

        Assert.Equal("alice@example.com", message.To.Mailboxes.Single().Address);
        Assert.Equal("no-reply@auth.example", message.From.Mailboxes.Single().Address);
        Assert.Equal(row.Id.ToString("N") + "@authservice", message.MessageId);
        var alternatives = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternatives.Select(p => p.ContentType.MimeType));
    }

    [Theory]
    [InlineData("a<b@example.com")]
    [InlineData("alice@example.com,mallory@example.org")]
    public void A_recipient_that_would_parse_as_another_address_gives_no_message(string recipient)
    {
        Assert.Null(EmailWorker.ToMime(Row(recipient), "AuthService <no-reply@auth.example>"));
    }
}
