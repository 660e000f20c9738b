using AuthService.Domain.RefreshTokens;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class RefreshTokenFamilyRepository(AuthDbContext db) : IRefreshTokenFamilyRepository
{
    public async Task<(RefreshTokenFamily Family, RefreshToken Token)?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == tokenHash, cancellationToken);
        if (token is null)
        {
            return null;
        }

        var family = await FindAsync(token.FamilyId, cancellationToken);
        return family is null ? null : (family, token);
    }

    public Task<RefreshTokenFamily?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.RefreshTokenFamilies.SingleOrDefaultAsync(f => f.Id == id, cancellationToken);

    public async Task<IReadOnlyList<RefreshTokenFamily>> ListActiveAsync(Guid userId, string? clientId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.RefreshTokenFamilies
            .Where(f => f.UserId == userId && (clientId == null || f.ClientId == clientId) && f.RevokedAt == null && f.AbsoluteExpiresAt > now)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Guid>> ListUnrevokedForSessionAsync(Guid sessionId, CancellationToken cancellationToken) =>
        await db.RefreshTokenFamilies.Where(f => f.SessionId == sessionId && f.RevokedAt == null).Select(f => f.Id).ToListAsync(cancellationToken);

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
