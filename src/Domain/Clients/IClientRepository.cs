namespace AuthService.Domain.Clients;

public interface IClientRepository
{
    Task<Client?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken);

    void Add(Client client);

    void Remove(Client client);

    /// <summary>
    /// Up to <paramref name="take"/> clients matching <paramref name="filter"/>, ordered by client_id
    /// (ordinal), strictly after <paramref name="afterClientId"/> when given; read-only.
    /// </summary>
    Task<IReadOnlyList<Client>> ListAsync(ClientListFilter filter, string? afterClientId, int take, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> dynamically registered clients not used since <paramref name="cutoff"/> (see <see cref="Client.IsInactiveSince"/>), tracked.</summary>
    Task<IReadOnlyList<Client>> ListInactiveDynamicAsync(DateTimeOffset cutoff, int take, CancellationToken cancellationToken);
}

/// <summary>
/// Filters of the admin client list, combined with AND: a client_id prefix, a case-insensitive text found in
/// the client_id or name, the enabled state, a registered grant type, how the client was registered. Null means no filter.
/// </summary>
public sealed record ClientListFilter(string? ClientIdPrefix = null, string? Search = null, bool? Enabled = null, string? GrantType = null, RegistrationSource? Source = null);
