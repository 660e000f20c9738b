using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;

namespace AuthService.Application.Tests.Fakes;

internal sealed class InMemoryClientCatalog : IClientCatalog
{
    private readonly Dictionary<string, ClientSnapshot> _clients = new(StringComparer.Ordinal);

    public int Lookups { get; private set; }

    public List<string> Invalidated { get; } = [];

    public InMemoryClientCatalog Add(Client client)
    {
        _clients[client.ClientId] = ClientSnapshot.From(client);
        return this;
    }

    public ValueTask<ClientSnapshot?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        Lookups++;
        return ValueTask.FromResult(_clients.GetValueOrDefault(clientId));
    }

    public void Invalidate(string clientId) => Invalidated.Add(clientId);
}
