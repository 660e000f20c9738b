using AuthService.Domain.Clients;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class ClientRepository(AuthDbContext db) : IClientRepository
{
    /// <summary>Rows read per round trip while a grant-type filter is applied in memory.</summary>
    private const int ScanBatch = 200;

    public Task<Client?> FindByClientIdAsync(string clientId, CancellationToken cancellationToken) =>
        db.Clients.FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);

    public void Add(Client client) => db.Clients.Add(client);

    public void Remove(Client client) => db.Clients.Remove(client);

    public async Task<IReadOnlyList<Client>> ListAsync(ClientListFilter filter, string? afterClientId, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Clients.AsNoTracking();
        if (filter.ClientIdPrefix is { } prefix)
        {
            query = query.Where(c => c.ClientId.StartsWith(prefix));
        }

        if (filter.Search is { } search)
        {
            var lowered = search.ToLowerInvariant();
            query = query.Where(c => c.ClientId.ToLower().Contains(lowered) || c.ClientName.ToLower().Contains(lowered));
        }

        if (filter.Enabled is { } enabled)
        {
            query = query.Where(c => c.Enabled == enabled);
        }

        if (filter.Source is { } source)
        {
            query = query.Where(c => c.RegistrationSource == source);
        }

        // Keyset paging: the store orders and compares the key with the same collation, so "after" is exact.
        query = query.OrderBy(c => c.ClientId);
        if (filter.GrantType is null)
        {
            return await After(query, afterClientId).Take(take).ToListAsync(cancellationToken);
        }

        // Grant types are stored as a JSON list the stores cannot search portably; the client table is
        // small, so scan it in key order and keep the matches until the page is full.
        var matches = new List<Client>(take);
        var after = afterClientId;
        while (matches.Count < take)
        {
            var batch = await After(query, after).Take(ScanBatch).ToListAsync(cancellationToken);
            matches.AddRange(batch.Where(c => c.AllowsGrant(filter.GrantType)).Take(take - matches.Count));
            if (batch.Count < ScanBatch)
            {
                break;
            }

            after = batch[^1].ClientId;
        }

        return matches;
    }

    public async Task<IReadOnlyList<Client>> ListInactiveDynamicAsync(DateTimeOffset cutoff, int take, CancellationToken cancellationToken)
    {
        var candidates = await db.Clients
            .Where(c => c.RegistrationSource == RegistrationSource.Dynamic && (c.LastUsedAt == null || c.LastUsedAt < cutoff) && c.CreatedAt < cutoff)
            .OrderBy(c => c.ClientId)
            .Take(take)
            .ToListAsync(cancellationToken);
        return [.. candidates.Where(c => c.IsInactiveSince(cutoff))];
    }

    private static IQueryable<Client> After(IQueryable<Client> query, string? afterClientId) =>
        afterClientId is null ? query : query.Where(c => string.Compare(c.ClientId, afterClientId) > 0);
}
