using AuthService.Application.Common.Exceptions;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;
using MediatR;

namespace AuthService.Application.Clients.Commands.RevokeClientSecret;

/// <summary>
/// Removes one secret of a client: it stops authenticating at once. The last active secret of a confidential
/// client cannot be revoked (400 naming <c>secret_id</c>): rotate it, or disable the client.
/// </summary>
public sealed record RevokeClientSecret(string ClientId, Guid SecretId, int? ExpectedVersion) : IRequest<Unit>;

public sealed class RevokeClientSecretHandler(IClientRepository clients, IUnitOfWork unitOfWork, TimeProvider clock)
    : IRequestHandler<RevokeClientSecret, Unit>
{
    public async Task<Unit> Handle(RevokeClientSecret request, CancellationToken cancellationToken)
    {
        var client = await clients.FindByClientIdAsync(request.ClientId, cancellationToken)
            ?? throw new NotFoundException("Client", request.ClientId);
        if (client.Secrets.All(s => s.Id != request.SecretId))
        {
            throw new NotFoundException("Client secret", request.SecretId.ToString());
        }

        Concurrency.Check(client.Version, request.ExpectedVersion);
        client.RevokeSecret(request.SecretId, clock.GetUtcNow());
        (await unitOfWork.SaveChangesAsync(cancellationToken)).ThrowIfConflict();
        return Unit.Value;
    }
}
