using AuthService.Domain.AccessTokens;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class RevokedAccessTokenRepository(AuthDbContext db) : IRevokedAccessTokenRepository
{
    public Task<bool> IsRevokedAsync(string jwtId, string? familyKey, CancellationToken cancellationToken)
    {
        if (familyKey is null)
        {
            return db.RevokedAccessTokens.AnyAsync(r => r.JwtId == jwtId, cancellationToken);
        }

        // One statement: the token's own entry or its family's (two primary-key probes).
        var familyEntry = RevokedAccessToken.FamilyEntryId(familyKey);
        return db.RevokedAccessTokens.AnyAsync(r => r.JwtId == jwtId || r.JwtId == familyEntry, cancellationToken);
    }

    public void Add(RevokedAccessToken revoked) => db.RevokedAccessTokens.Add(revoked);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        db.RevokedAccessTokens
            .Where(r => r.ExpiresAt <= now)
            .OrderBy(r => r.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
