namespace AuthService.Domain.Clients;

public interface IClientRepository
{
    Task<Client?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken);

    void Add(Client client);
}
