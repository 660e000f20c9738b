using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Clients.Commands.DisableClient;

/// <summary>
/// Disables a client: the token endpoint refuses it (invalid_client) until it is enabled again. Disabling a
/// disabled client is a 400 naming <c>enabled</c>; the acting admin client may not disable itself (403).
/// </summary>
public sealed record DisableClient(string ClientId, int? ExpectedVersion, string ActorClientId) : IRequest<ClientResult>;

public sealed class DisableClientHandler(IClientRepository clients, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<DisableClient, ClientResult>
{
    public async Task<ClientResult> Handle(DisableClient request, CancellationToken cancellationToken)
    {
        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Client", request.ClientId);
        Concurrency.Check(client.Version, request.ExpectedVersion);
        if (request.ActorClientId == client.ClientId)
        {
            throw new ForbiddenOperationException("An admin client cannot disable itself.");
        }

        var now = clock.GetUtcNow();
        if (!client.Disable(now))
        {
            throw RequestValidationException.For("enabled", "The client is already disabled.");
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new ClientResult(ClientResponse.From(client, now), client.Version);
    }
}
