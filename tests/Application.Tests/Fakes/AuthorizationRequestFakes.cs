using AuthService.Application.Authorization;
using AuthService.Application.Authorization.Requests;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Common.Security;
using AuthService.Domain.PushedAuthorizationRequests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AuthService.Application.Tests.Fakes;

/// <summary>The authorization request resolver as the interaction handlers' tests need it: plain requests, the real validator.</summary>
internal static class AuthorizationRequestFakes
{
    public static AuthorizationRequestResolver Resolver(IClientCatalog catalog, TimeProvider clock) =>
        new(new AuthorizationRequestValidator(catalog, InMemoryProtectedResourceRepository.NoResources()), catalog, new InMemoryPushedAuthorizationRequestRepository(),
            new RefusingRequestObjectReader(), new UnusedSeal(), Options.Create(new PushedAuthorizationOptions()), clock,
            NullLogger<AuthorizationRequestResolver>.Instance);
}

internal sealed class InMemoryPushedAuthorizationRequestRepository : IPushedAuthorizationRequestRepository
{
    public List<PushedAuthorizationRequest> Requests { get; } = [];

    public Task<PushedAuthorizationRequest?> FindByRequestUriHashAsync(string requestUriHash, CancellationToken cancellationToken) =>
        Task.FromResult(Requests.SingleOrDefault(r => r.RequestUriHash == requestUriHash));

    public void Add(PushedAuthorizationRequest request) => Requests.Add(request);

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Requests.RemoveAll(r => r.ExpiresAt < cutoff));
}

/// <summary>No request object verifies here: those are tested against the real reader in the integration tests.</summary>
internal sealed class RefusingRequestObjectReader : IRequestObjectReader
{
    public Task<ProtocolResult<IReadOnlyDictionary<string, string>>> ReadAsync(ClientSnapshot client, string requestObject, CancellationToken cancellationToken) =>
        Task.FromResult<ProtocolResult<IReadOnlyDictionary<string, string>>>(OAuthError.RequestObjectInvalid);
}

/// <summary>Plain requests are never sealed; a seal reaching this fake is refused.</summary>
internal sealed class UnusedSeal : IAuthorizationRequestSeal
{
    public string Seal(SealedAuthorizationRequest request) => throw new InvalidOperationException("Plain requests are not sealed.");

    public SealedAuthorizationRequest? Unseal(string sealedRequest) => null;
}
