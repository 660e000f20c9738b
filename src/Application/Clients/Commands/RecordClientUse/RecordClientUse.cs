using AuthService.Application.Common.Interfaces;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Clients.Commands.RecordClientUse;

/// <summary>
/// After a token was issued: notes that a dynamically registered client is in use, so the purge of inactive clients
/// spares it. Coarse on purpose (<see cref="Client.UsageRecordingInterval"/>): the cached snapshot answers almost
/// every call, and a write happens at most about once a day per client.
/// </summary>
public sealed record RecordClientUse(string ClientId) : IRequest<Unit>;

public sealed class RecordClientUseHandler(IClientCatalog catalog, IClientRepository clients, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RecordClientUse, Unit>
{
    public async Task<Unit> Handle(RecordClientUse request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var snapshot = await catalog.FindAsync(request.ClientId, cancellationToken);
        if (snapshot is null || !Client.IsUseRecordingDue(snapshot.RegistrationSource, snapshot.LastUsedAt, now))
        {
            return Unit.Value;
        }

        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken);
        if (client is not null && client.RecordUse(now) && await unitOfWork.SaveChangesAsync(cancellationToken) == SaveResult.Saved)
        {
            // A lost race (a concurrent change) needs nothing: the next token records the use.
            catalog.Invalidate(request.ClientId);
        }

        return Unit.Value;
    }
}
