using AuthService.Domain.Common;
using AuthService.Domain.Email;
using static AuthService.Domain.Tests.TestData;

namespace AuthService.Domain.Tests.Email;

/// <summary>A link asked for by address: the normalised key the worker looks up, and the continuation dropped once handled.</summary>
public class EmailRequestTests
{
    private static readonly SignInContinuation Continuation = SignInContinuation.Authorization("{\"client_id\":\"web\"}");

    [Fact]
    public void A_new_request_is_pending_and_due_now_with_the_address_as_typed_and_normalised()
    {
        var request = EmailRequest.Create(Guid.NewGuid(), EmailRequestKind.SignInLink, "Alice@Example.com", "192.0.2.1", Continuation, Now);

        Assert.Equal(OutboxStatus.Pending, request.Status);
        Assert.Equal(Now, request.NextAttemptAt);
        Assert.Equal("Alice@Example.com", request.Address);
        Assert.Equal("ALICE@EXAMPLE.COM", request.NormalizedEmail);
        Assert.Equal(Continuation, request.Continuation);
    }

    [Fact]
    public void Handling_drops_the_continuation()
    {
        var request = EmailRequest.Create(Guid.NewGuid(), EmailRequestKind.SignInLink, "alice@example.com", null, Continuation, Now);

        request.MarkDelivered(Now);

        Assert.Equal(OutboxStatus.Delivered, request.Status);
        Assert.Null(request.Continuation);
        Assert.Null(request.ContinuationRequest);
    }

    [Fact]
    public void Only_a_sign_in_link_carries_a_continuation()
    {
        Assert.Throws<DomainRuleViolationException>(() =>
            EmailRequest.Create(Guid.NewGuid(), EmailRequestKind.PasswordReset, "alice@example.com", null, Continuation, Now));
    }

    [Fact]
    public void A_long_source_address_is_cut_to_the_column()
    {
        var request = EmailRequest.Create(Guid.NewGuid(), EmailRequestKind.PasswordReset, "alice@example.com", new string('a', 100), null, Now);

        Assert.Equal(EmailRequest.MaxSourceAddressLength, request.SourceAddress!.Length);
    }

    [Fact]
    public void The_text_form_names_no_address()
    {
        var request = EmailRequest.Create(Guid.NewGuid(), EmailRequestKind.PasswordReset, "alice@example.com", null, null, Now);

        Assert.DoesNotContain("alice", request.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
