using AuthService.Domain.Common;
using AuthService.Domain.Email;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Email;

/// <summary>The e-mail outbox row: the shared delivery rules, and the bodies (which hold a secret link) dropped once settled.</summary>
public class OutgoingEmailTests
{
    private static readonly DeliveryPolicy Policy = new(MaxAttempts: 2, BaseDelay: TimeSpan.FromSeconds(10), MaxDelay: TimeSpan.FromMinutes(1));

    private static OutgoingEmail Pending() =>
        OutgoingEmail.Create(Guid.NewGuid(), "alice@example.com", "Reset your password", "text https://as/x?token=t", "<p>html</p>", "password_reset", UserId, Now);

    [Fact]
    public void A_new_message_is_pending_and_due_now_with_its_bodies()
    {
        var email = Pending();

        Assert.Equal(OutboxStatus.Pending, email.Status);
        Assert.Equal(Now, email.NextAttemptAt);
        Assert.NotNull(email.TextBody);
        Assert.NotNull(email.HtmlBody);
    }

    [Fact]
    public void Delivery_drops_the_bodies()
    {
        var email = Pending();

        email.MarkDelivered(Now);

        Assert.Equal(OutboxStatus.Delivered, email.Status);
        Assert.Null(email.TextBody);
        Assert.Null(email.HtmlBody);
    }

    [Fact]
    public void A_failure_keeps_the_bodies_for_the_retry_and_giving_up_drops_them()
    {
        var email = Pending();

        email.RecordFailure("SMTP: 451", Policy, Now);
        Assert.Equal(OutboxStatus.Pending, email.Status);
        Assert.Equal(Now.AddSeconds(10), email.NextAttemptAt);
        Assert.NotNull(email.TextBody);

        email.RecordFailure("SMTP: 451", Policy, Now.AddSeconds(10));
        Assert.Equal(OutboxStatus.Failed, email.Status);
        Assert.Null(email.TextBody);
        Assert.Null(email.HtmlBody);
    }

    [Fact]
    public void The_text_of_the_message_never_shows_in_ToString()
    {
        Assert.DoesNotContain("token", Pending().ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Subject")]
    [InlineData("alice@example.com", "two\r\nlines")]
    public void A_message_needs_a_recipient_and_a_one_line_subject(string to, string subject)
    {
        Assert.Throws<DomainRuleViolationException>(() =>
            OutgoingEmail.Create(Guid.NewGuid(), to, subject, "text", "<p>html</p>", "password_reset", null, Now));
    }
}
