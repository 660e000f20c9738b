using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Registration.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Registration.Commands.DeleteRegisteredClient;

/// <summary>
/// RFC 7592 §2.3: the client deregisters itself. Its grants go with it (refresh tokens revoked, codes and consents
/// deleted), as when an operator deletes a client.
/// </summary>
public sealed record DeleteRegisteredClient(string ClientId, string? RegistrationAccessToken) : IRequest<ProtocolResult<bool>>
{
    /// <summary>Never prints the registration access token.</summary>
    public override string ToString() => $"DeleteRegisteredClient {{ ClientId = {ClientId}, RegistrationAccessToken = *** }}";
}

public sealed class DeleteRegisteredClientHandler(IClientRepository clients, ClientRemoval removal, TimeProvider clock)
    : IRequestHandler<DeleteRegisteredClient, ProtocolResult<bool>>
{
    public const string RevocationReason = "client_deregistered";

    public async Task<ProtocolResult<bool>> Handle(DeleteRegisteredClient request, CancellationToken cancellationToken)
    {
        if (await RegistrationAccess.AuthorizeAsync(clients, request.ClientId, request.RegistrationAccessToken, cancellationToken) is not { } client)
        {
            return OAuthError.InvalidRegistrationAccessToken;
        }

        return await removal.RemoveAsync(client, RevocationReason, clock.GetUtcNow(), cancellationToken) == SaveResult.Saved
            ? true
            : OAuthError.ConcurrentChange;
    }
}
