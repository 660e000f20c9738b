using AuthService.Domain.Clients;

namespace AuthService.Application.Tests.Fakes;

/// <summary>Hands back the same instances it was given, as a tracking persistence context would.</summary>
internal sealed class InMemoryClientRepository : IClientRepository
{
    public List<Client> Clients { get; } = [];

    public Task<Client?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken) =>
        Task.FromResult(Clients.FirstOrDefault(c => string.Equals(c.ClientId, clientId, StringComparison.Ordinal)));

    public void Add(Client client) => Clients.Add(client);

    public void Remove(Client client) => Clients.Remove(client);

    public Task<IReadOnlyList<Client>> ListAsync(ClientListFilter filter, string? afterClientId, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Client>>([.. Clients
            .Where(c => filter.ClientIdPrefix is null || c.ClientId.StartsWith(filter.ClientIdPrefix, StringComparison.Ordinal))
            .Where(c => filter.Search is null
                || c.ClientId.Contains(filter.Search, StringComparison.OrdinalIgnoreCase)
                || c.ClientName.Contains(filter.Search, StringComparison.OrdinalIgnoreCase))
            .Where(c => filter.Enabled is null || c.Enabled == filter.Enabled)
            .Where(c => filter.GrantType is null || c.AllowsGrant(filter.GrantType))
            .Where(c => filter.Source is null || c.RegistrationSource == filter.Source)
            .Where(c => afterClientId is null || string.CompareOrdinal(c.ClientId, afterClientId) > 0)
            .OrderBy(c => c.ClientId, StringComparer.Ordinal)
            .Take(take)]);

    public Task<IReadOnlyList<Client>> ListInactiveDynamicAsync(DateTimeOffset cutoff, int take, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Client>>([.. Clients.Where(c => c.IsInactiveSince(cutoff)).OrderBy(c => c.ClientId, StringComparer.Ordinal).Take(take)]);
}
