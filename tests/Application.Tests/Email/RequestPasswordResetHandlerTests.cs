using AuthService.Application.Common.Interfaces;
using AuthService.Application.Email;
using AuthService.Application.Email.Commands.RequestPasswordReset;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Common;
using AuthService.Domain.Email;

namespace AuthService.Application.Tests.Email;

/// <summary>
/// The reset request does the same work whether or not the address has an account (ASVS 6.3.8): one request row written
/// and saved either way, and nothing else (the account is looked up by the worker, <see cref="EmailRequestResolverTests"/>).
/// A spent budget writes nothing.
/// </summary>
public class RequestPasswordResetHandlerTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly InMemoryEmailRequestRepository _requests = new();
    private readonly CountingThrottle _throttle = new();
    private readonly RequestPasswordResetHandler _handler;

    public RequestPasswordResetHandlerTests() =>
        _handler = new RequestPasswordResetHandler(new EmailLinkRequests(_requests, _throttle, _unitOfWork, _clock));

    private Task<PasswordResetRequested> Ask(string? email) => _handler.Handle(new RequestPasswordReset(email, "192.0.2.1"), CancellationToken.None);

    [Theory]
    [InlineData(" ALICE@example.com ", "ALICE@example.com")]
    [InlineData("nobody@example.com", "nobody@example.com")]
    public async Task Any_address_gets_one_pending_request_row_and_one_save(string typed, string stored)
    {
        Assert.Equal(PasswordResetRequested.Accepted, await Ask(typed));

        var request = Assert.Single(_requests.Requests);
        Assert.Equal(EmailRequestKind.PasswordReset, request.Kind);
        Assert.Equal(stored, request.Address);
        Assert.Equal(stored.ToUpperInvariant(), request.NormalizedEmail);
        Assert.Equal("192.0.2.1", request.SourceAddress);
        Assert.Null(request.Continuation);
        Assert.Equal(OutboxStatus.Pending, request.Status);
        Assert.Equal(TestClock.Start, request.NextAttemptAt);
        Assert.Equal(1, _unitOfWork.Saves);
    }

    [Fact]
    public async Task A_spent_budget_writes_nothing()
    {
        _throttle.Allow = false;

        Assert.Equal(PasswordResetRequested.Throttled, await Ask("alice@example.com"));
        Assert.Empty(_requests.Requests);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-an-address")]
    public async Task Not_an_address_is_refused_before_the_budget_is_touched(string? email)
    {
        Assert.Equal(PasswordResetRequested.InvalidAddress, await Ask(email));
        Assert.Equal(0, _throttle.Calls);
        Assert.Empty(_requests.Requests);
    }

    private sealed class CountingThrottle : IEmailRequestThrottle
    {
        public bool Allow { get; set; } = true;

        public int Calls { get; private set; }

        public bool TryAcquire(string normalizedRecipient, string? remoteAddress)
        {
            Calls++;
            return Allow;
        }
    }
}
