using AuthService.Domain.Clients;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class ClientRepository(AuthDbContext db) : IClientRepository
{
    public Task<Client?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken) =>
        db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);

    public void Add(Client client) => db.Clients.Add(client);
}
