using AuthService.Application.Common.Interfaces;
using MediatR;

namespace AuthService.Application.Discovery.Queries.GetJsonWebKeySet;

/// <summary>The public keys of every pending, active and retired signing key (RFC 7517 §5).</summary>
public sealed record GetJsonWebKeySet : IRequest<JsonWebKeySetDocument>;

public sealed class GetJsonWebKeySetHandler(ISigningKeyRing keyRing) : IRequestHandler<GetJsonWebKeySet, JsonWebKeySetDocument>
{
    public Task<JsonWebKeySetDocument> Handle(GetJsonWebKeySet request, CancellationToken cancellationToken) =>
        Task.FromResult(keyRing.Jwks);
}
