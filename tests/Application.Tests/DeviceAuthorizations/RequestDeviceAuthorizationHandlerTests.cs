using AuthService.Application.Common.Security;
using AuthService.Application.DeviceAuthorizations;
using AuthService.Application.DeviceAuthorizations.Commands.RequestDeviceAuthorization;
using AuthService.Application.Tests.Fakes;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using AuthService.Domain.DeviceAuthorizations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static AuthService.Application.Tests.SignInData;

namespace AuthService.Application.Tests.DeviceAuthorizations;

/// <summary>RFC 8628 §3.2, §6.1: a user code that collides with a stored one is replaced, the request is not refused.</summary>
public class RequestDeviceAuthorizationHandlerTests
{
    private readonly InMemoryClientCatalog _catalog = new();
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private readonly RecordingDeviceAuthorizations _authorizations = new();
    private readonly FakeUnitOfWork _unitOfWork = new();
    private readonly RequestDeviceAuthorizationHandler _handler;

    public RequestDeviceAuthorizationHandlerTests()
    {
        _catalog.Add(RegisterWeb("tv", WebSettings(grantTypes: [GrantTypes.DeviceCode, GrantTypes.RefreshToken])));
        _handler = new RequestDeviceAuthorizationHandler(
            new ClientAuthenticator(_catalog, new FakeThrottle(), new FakeAssertionValidator(), new FakeClientCertificateAuthenticator(), new FakeTokenRateLimiter(), _clock, NullLogger<ClientAuthenticator>.Instance),
            InMemoryProtectedResourceRepository.NoResources(),
            _authorizations,
            _unitOfWork,
            new FakeIssuerProvider(),
            Options.Create(new DeviceAuthorizationOptions()),
            _clock);
    }

    [Fact]
    public async Task A_user_code_collision_is_retried_with_a_new_code()
    {
        var collisions = 2;
        _unitOfWork.RaceOnSave = () => collisions-- > 0 ? SaveResult.UniquenessConflict : SaveResult.Saved;

        var result = await _handler.Handle(new RequestDeviceAuthorization(new ClientCredentials("tv", null, PresentedAuthMethod.None), "openid", null, null), CancellationToken.None);

        Assert.True(result.IsSuccess);
        Assert.Equal(3, _unitOfWork.Attempts);
        Assert.Equal(3, _authorizations.Added.Count);
        Assert.Equal(UserCode.Display(_authorizations.Added[^1].UserCode), result.Value.UserCode);
        Assert.Equal(OpaqueToken.HashOf(result.Value.DeviceCode), _authorizations.Added[^1].DeviceCodeHash);
    }

    [Fact]
    public async Task Without_the_grant_the_client_is_unauthorized_and_nothing_is_stored()
    {
        _catalog.Add(RegisterWeb("web-only"));

        var result = await _handler.Handle(new RequestDeviceAuthorization(new ClientCredentials("web-only", null, PresentedAuthMethod.None), "openid", null, null), CancellationToken.None);

        Assert.Equal("unauthorized_client", result.Error!.Code);
        Assert.Empty(_authorizations.Added);
    }

    private sealed class RecordingDeviceAuthorizations : IDeviceAuthorizationRepository
    {
        public List<DeviceAuthorization> Added { get; } = [];

        public Task<DeviceAuthorization?> FindAsync(string deviceCodeHash, CancellationToken cancellationToken) =>
            Task.FromResult(Added.LastOrDefault(a => a.DeviceCodeHash == deviceCodeHash));

        public Task<DeviceAuthorization?> FindByUserCodeAsync(string userCode, CancellationToken cancellationToken) =>
            Task.FromResult(Added.LastOrDefault(a => a.UserCode == userCode));

        public void Add(DeviceAuthorization authorization) => Added.Add(authorization);

        public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
