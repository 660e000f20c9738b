using AuthService.Application.Tokens.Common;
using AuthService.Domain.Clients;
using AuthService.Domain.Common;

namespace AuthService.Application.Clients.Common;

/// <summary>
/// Deletes a client and everything granted to it (refresh-token families revoked first, so their access tokens are
/// denylisted; then codes, families and consents), so a client registered later under the same id inherits nothing.
/// Shared by the admin API, RFC 7592 deletion and the purge of inactive dynamic clients.
/// </summary>
public sealed class ClientRemoval(IClientRepository clients, GrantCleanup grants, IUnitOfWork unitOfWork)
{
    public async Task<SaveResult> RemoveAsync(Client client, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await grants.RevokeGrantsAsync(userId: null, client.ClientId, reason, cancellationToken);
        return await unitOfWork.ExecuteInTransactionAsync(async ct =>
        {
            await grants.DeleteGrantsAsync(userId: null, client.ClientId, ct);
            client.Delete(now);
            clients.Remove(client);
            return await unitOfWork.SaveChangesAsync(ct);
        }, cancellationToken);
    }
}
