using AuthService.Application.Common.Persistence;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Application.Revocation.Commands.RevokeToken;
using AuthService.Application.Tests.Fakes;
using AuthService.Application.Tokens.Common;
using AuthService.Domain.Common;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static AuthService.Application.Tests.AccessTokensData;
using static AuthService.Application.Tests.TestClients;

namespace AuthService.Application.Tests.Revocation;

public class RevokeTokenHandlerTests
{
    private const string PresentedToken = "eyJ.presented.token";

    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeThrottle _throttle = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly FakeAccessTokenValidator _validator = new();
    private readonly InMemoryRevokedAccessTokenRepository _revocations = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly CapturingLogger<RevokeTokenHandler> _logger = new(LogLevel.Information);
    private readonly InMemoryRefreshTokenFamilyRepository _families = new();
    private readonly RevokeTokenHandler _handler;

    public RevokeTokenHandlerTests()
    {
        var authenticator = new ClientAuthenticator(_catalog, _throttle, new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(), new FakeTokenRateLimiter(), _clock, NullLogger<ClientAuthenticator>.Instance);
        _handler = new RevokeTokenHandler(authenticator, _validator, _families,
            new GrantRevocation(_families, _revocations, _unitOfWork, _clock), _logger);
        _catalog.Add(RegisterService("svc")).Add(RegisterService("other"));
    }

    private Task<ProtocolResult<Unit>> Revoke(string clientId = "svc", string secret = ServiceSecret) =>
        _handler.Handle(new RevokeToken(new ClientCredentials(clientId, secret, PresentedAuthMethod.ClientSecretBasic), PresentedToken, "198.51.100.1"), CancellationToken.None);

    private void AssertNothingStored()
    {
        Assert.Empty(_revocations.Added);
        Assert.Equal(0, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Failed_client_authentication_is_invalid_client_and_revokes_nothing()
    {
        _validator.Result = Token("svc");

        var result = await Revoke(secret: "wrong-secret-0123456789");

        Assert.False(result.IsSuccess);
        Assert.Equal("invalid_client", result.Error.Code);
        Assert.Empty(_validator.Validated);
        AssertNothingStored();
    }

    [Fact]
    public async Task Invalid_token_is_success_and_stores_nothing()
    {
        _validator.Result = null;

        var result = await Revoke();

        Assert.True(result.IsSuccess);
        Assert.Equal([PresentedToken], _validator.Validated);
        AssertNothingStored();
    }

    [Fact]
    public async Task Token_of_another_client_is_unauthorized_client_stores_nothing_and_is_logged()
    {
        _validator.Result = Token("svc");

        var result = await Revoke("other");

        Assert.False(result.IsSuccess);
        Assert.Equal("unauthorized_client", result.Error.Code);
        AssertNothingStored();
        var entry = Assert.Single(_logger.Entries);
        Assert.Equal((LogLevel.Warning, 2101), (entry.Level, entry.EventId.Id));
        Assert.Contains("client other tried to revoke a token of client svc", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Own_token_is_recorded_with_its_jti_client_and_expiry_at_the_clock_time_and_saved_once()
    {
        _validator.Result = Token("svc", "jti-7");
        _clock.Advance(TimeSpan.FromMinutes(4));

        var result = await Revoke("svc");

        Assert.True(result.IsSuccess);
        var revoked = Assert.Single(_revocations.Added);
        Assert.Equal("jti-7", revoked.JwtId);
        Assert.Equal("svc", revoked.ClientId);
        Assert.Equal(IssuedAt.AddMinutes(15), revoked.ExpiresAt);
        Assert.Equal(TestClock.Start.AddMinutes(4), revoked.RevokedAt);
        Assert.Equal(1, _unitOfWork.Saves);
        Assert.Equal(1, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Already_revoked_token_is_success_without_a_second_entry_or_save()
    {
        _validator.Result = Token("svc", "jti-7");
        _revocations.Stored.Add("jti-7");

        var result = await Revoke("svc");

        Assert.True(result.IsSuccess);
        AssertNothingStored();
    }

    [Fact]
    public async Task Revoking_the_same_token_twice_stores_it_once()
    {
        _validator.Result = Token("svc", "jti-7");

        await Revoke("svc");
        var second = await Revoke("svc");

        Assert.True(second.IsSuccess);
        Assert.Single(_revocations.Added);
        Assert.Equal(1, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Losing_the_race_to_a_concurrent_revocation_is_still_success()
    {
        _validator.Result = Token("svc", "jti-7");
        _unitOfWork.ConflictWith = SaveResult.UniquenessConflict;

        var result = await Revoke("svc");

        Assert.True(result.IsSuccess);
        Assert.Equal(1, _unitOfWork.Attempts);
    }

    [Fact]
    public async Task Storage_failure_propagates_instead_of_reporting_a_revocation()
    {
        _validator.Result = Token("svc", "jti-7");
        var failure = new InvalidOperationException("database unavailable");
        _unitOfWork.FailWith = failure;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Revoke("svc"));

        Assert.Same(failure, thrown);
        Assert.Equal(1, _unitOfWork.Attempts);
        Assert.Equal(0, _unitOfWork.Saves);
    }

    [Fact]
    public async Task A_conflict_that_persists_on_every_attempt_propagates_instead_of_reporting_a_revocation()
    {
        _validator.Result = Token("svc", "jti-7");
        _unitOfWork.RaceOnSave = () =>
        {
            _revocations.Added.Clear(); // the store discards the unit of work that lost
            return SaveResult.ConcurrencyConflict;
        };

        await Assert.ThrowsAsync<ConflictException>(() => Revoke("svc"));

        Assert.Equal(ConflictRetry.MaxAttempts, _unitOfWork.Attempts);
        Assert.Equal(0, _unitOfWork.Saves);
    }
}
