using AuthService.Domain.Clients;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Hands back the same instances it was given, as a tracking persistence context would.</summary>
internal sealed class InMemoryClientRepository : IClientRepository
{
    public List<Client> Clients { get; } = [];

    public Task<Client?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult(Clients.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal)));

    public void Add(Client client) => Clients.Add(client);
}
