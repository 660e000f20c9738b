using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Clients;
using MediatR;

namespace AuthService.Application.Clients.Queries.GetClient;

public sealed record GetClient(string ClientId) : IRequest<ClientResult>;

public sealed class GetClientHandler(IClientRepository clients, TimeProvider clock) : IRequestHandler<GetClient, ClientResult>
{
    public async Task<ClientResult> Handle(GetClient request, CancellationToken cancellationToken)
    {
        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Client", request.ClientId);
        return new ClientResult(ClientResponse.From(client, clock.GetUtcNow()), client.Version);
    }
}
