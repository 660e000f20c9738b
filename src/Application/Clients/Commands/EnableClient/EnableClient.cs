using AuthService.Application.Clients.Common;
using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Clients.Commands.EnableClient;

/// <summary>Enables a disabled client; enabling an enabled client is a 400 naming <c>enabled</c>.</summary>
public sealed record EnableClient(string ClientId, int? ExpectedVersion) : IRequest<ClientResult>;

public sealed class EnableClientHandler(IClientRepository clients, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<EnableClient, ClientResult>
{
    public async Task<ClientResult> Handle(EnableClient request, CancellationToken cancellationToken)
    {
        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Client", request.ClientId);
        Concurrency.Check(client.Version, request.ExpectedVersion);
        var now = clock.GetUtcNow();
        if (!client.Enable(now))
        {
            throw RequestValidationException.For("enabled", "The client is already enabled.");
        }

        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return new ClientResult(ClientResponse.From(client, now), client.Version);
    }
}
