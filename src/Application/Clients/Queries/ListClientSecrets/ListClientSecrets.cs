using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Application.Common.Paging;
using AuthService.Domain.Clients;
using MediatR;

namespace AuthService.Application.Clients.Queries.ListClientSecrets;

/// <summary>The metadata of a client's secrets, oldest first, in one page (a client holds only a few).</summary>
public sealed record ListClientSecrets(string ClientId) : IRequest<ClientSecrets>;

public sealed record ClientSecrets(Page<ClientSecretResponse> Secrets, int Version);

public sealed class ListClientSecretsHandler(IClientRepository clients, TimeProvider clock) : IRequestHandler<ListClientSecrets, ClientSecrets>
{
    public async Task<ClientSecrets> Handle(ListClientSecrets request, CancellationToken cancellationToken)
    {
        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Client", request.ClientId);
        return new ClientSecrets(new Page<ClientSecretResponse>(ClientResponse.From(client, clock.GetUtcNow()).Secrets, NextCursor: null), client.Version);
    }
}
