using AuthService.Application.Common.Exceptions;
using AuthService.Application.Clients.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Clients.Commands.DeleteClient;

/// <summary>
/// Deletes a client and everything granted to it (refresh-token families revoked first, so their access
/// tokens are denylisted; then codes, families and consents), so a client registered later under the same
/// id inherits nothing. The acting admin client may not delete itself (403).
/// </summary>
public sealed record DeleteClient(string ClientId, int? ExpectedVersion, string ActorClientId) : IRequest<Unit>;

public sealed class DeleteClientHandler(IClientRepository clients, ClientRemoval removal, TimeProvider clock)
    : IRequestHandler<DeleteClient, Unit>
{
    public const string RevocationReason = "client_deleted";

    public async Task<Unit> Handle(DeleteClient request, CancellationToken cancellationToken)
    {
        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Client", request.ClientId);
        Concurrency.Check(client.Version, request.ExpectedVersion);
        if (request.ActorClientId == client.ClientId)
        {
            throw new ForbiddenOperationException("An admin client cannot delete itself.");
        }

        (await removal.RemoveAsync(client, RevocationReason, clock.GetUtcNow(), cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
