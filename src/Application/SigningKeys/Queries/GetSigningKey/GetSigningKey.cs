using AuthService.Application.Common.Exceptions;
using AuthService.Domain.SigningKeys;
using MediatR;

namespace AuthService.Application.SigningKeys.Queries.GetSigningKey;

public sealed record GetSigningKey(string KeyId) : IRequest<SigningKeyResponse>;

public sealed class GetSigningKeyHandler(ISigningKeyRepository keys) : IRequestHandler<GetSigningKey, SigningKeyResponse>
{
    public async Task<SigningKeyResponse> Handle(GetSigningKey request, CancellationToken cancellationToken) =>
        SigningKeyResponse.From(await keys.FindAsync(request.KeyId, cancellationToken) ?? throw new NotFoundException("Signing key", request.KeyId));
}
