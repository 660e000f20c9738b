using AuthService.Domain.RefreshTokens;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class RefreshTokenFamilyRepository(AuthDbContext db) : IRefreshTokenFamilyRepository
{
    public async Task<(RefreshTokenFamily Family, RefreshToken Token)?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        // One round trip: the token (read-only) with its family (tracked, as the caller may change it).
        var found = await db.RefreshTokens.AsNoTracking()
            .Where(t => t.TokenHash == tokenHash)
            .Join(db.RefreshTokenFamilies.AsTracking(), t => t.FamilyId, f => f.Id, (t, f) => new { Token = t, Family = f })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Family, found.Token);
    }

    public async Task<RefreshTokenLookup?> FindForRefreshAsync(string tokenHash, CancellationToken cancellationToken)
    {
        // One round trip instead of two (the family, then its person). Tracked, as EF Core's tracking is per query: the refresh
        // rotates the family and writes it back with its version check; the token and the person are only read (tracking
        // them costs a snapshot, not a write). A left join, so that a family whose person is gone still reads.
        var found = await db.RefreshTokens.AsTracking()
            .Where(t => t.TokenHash == tokenHash)
            .Join(db.RefreshTokenFamilies, t => t.FamilyId, f => f.Id, (t, f) => new { Token = t, Family = f })
            .LeftJoin(db.Users, x => x.Family.UserId, u => u.Id, (x, u) => new { x.Token, x.Family, User = u })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : new RefreshTokenLookup(found.Family, found.Token, found.User);
    }

    public Task<RefreshTokenFamily?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.RefreshTokenFamilies.SingleOrDefaultAsync(f => f.Id == id, cancellationToken);

    public async Task<IReadOnlyList<RefreshTokenFamily>> ListActiveAsync(Guid userId, string? clientId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.RefreshTokenFamilies
            .Where(f => f.UserId == userId && (clientId == null || f.ClientId == clientId) && f.RevokedAt == null && f.AbsoluteExpiresAt > now)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Guid>> ListUnrevokedForSessionAsync(Guid sessionId, CancellationToken cancellationToken) =>
        await db.RefreshTokenFamilies.Where(f => f.SessionId == sessionId && f.RevokedAt == null).Select(f => f.Id).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Guid>> ListUnrevokedAsync(Guid? userId, string? clientId, CancellationToken cancellationToken) =>
        await OfUserOrClient(userId, clientId).Where(f => f.RevokedAt == null).Select(f => f.Id).ToListAsync(cancellationToken);

    // The tokens go with their family (ON DELETE CASCADE).
    public Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken) =>
        OfUserOrClient(userId, clientId).ExecuteDeleteAsync(cancellationToken);

    private IQueryable<RefreshTokenFamily> OfUserOrClient(Guid? userId, string? clientId) => (userId, clientId) switch
    {
        ({ } user, null) => db.RefreshTokenFamilies.Where(f => f.UserId == user),
        (null, { } client) => db.RefreshTokenFamilies.Where(f => f.ClientId == client),
        _ => throw new ArgumentException("Give a user or a client, not both."),
    };

    public void Add(RefreshTokenFamily family, RefreshToken firstToken)
    {
        db.RefreshTokenFamilies.Add(family);
        db.RefreshTokens.Add(firstToken);
    }

    public void AddToken(RefreshToken token) => db.RefreshTokens.Add(token);

    public Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        db.RefreshTokenFamilies
            .Where(f => f.AbsoluteExpiresAt < cutoff || f.IdleExpiresAt < cutoff || (f.RevokedAt != null && f.RevokedAt < cutoff))
            .OrderBy(f => f.AbsoluteExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
