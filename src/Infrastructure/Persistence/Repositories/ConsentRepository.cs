using AuthService.Domain.Consents;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class ConsentRepository(AuthDbContext db) : IConsentRepository
{
    public Task<Consent?> FindAsync(Guid userId, string clientId, CancellationToken cancellationToken) =>
        db.Consents.SingleOrDefaultAsync(c => c.UserId == userId && c.ClientId == clientId, cancellationToken);

    public async Task<IReadOnlyList<Consent>> ListAsync(
        Guid? userId, string? clientId, (Guid UserId, string ClientId)? after, int limit, CancellationToken cancellationToken)
    {
        var query = db.Consents.AsNoTracking();
        if (userId is { } user)
        {
            query = query.Where(c => c.UserId == user);
        }

        if (clientId is not null)
        {
            query = query.Where(c => c.ClientId == clientId);
        }

        if (after is { } key)
        {
            // Keyset: the primary key (user_id, client_id), compared in the store's own order, as ORDER BY sorts it.
            query = query.Where(c => c.UserId.CompareTo(key.UserId) > 0
                || (c.UserId == key.UserId && string.Compare(c.ClientId, key.ClientId) > 0));
        }

        return await query.OrderBy(c => c.UserId).ThenBy(c => c.ClientId).Take(limit).ToListAsync(cancellationToken);
    }

    public void Add(Consent consent) => db.Consents.Add(consent);

    public void Remove(Consent consent) => db.Consents.Remove(consent);

    public Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken) => (userId, clientId) switch
    {
        ({ } user, null) => db.Consents.Where(c => c.UserId == user).ExecuteDeleteAsync(cancellationToken),
        (null, { } client) => db.Consents.Where(c => c.ClientId == client).ExecuteDeleteAsync(cancellationToken),
        _ => throw new ArgumentException("Give a user or a client, not both."),
    };
}
