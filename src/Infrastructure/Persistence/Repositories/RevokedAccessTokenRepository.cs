using AuthService.Domain.AccessTokens;
using AuthService.Infrastructure.Caching;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class RevokedAccessTokenRepository(AuthDbContext db, AccessTokenDenylist denylist) : IRevokedAccessTokenRepository
{
    /// <remarks>From this replica's copy while it is current (docs/adr/0040), from the database otherwise.</remarks>
    public Task<bool> IsRevokedAsync(string jwtId, string? familyKey, CancellationToken cancellationToken)
    {
        if (denylist.TryAnswer(jwtId, familyKey, out var revoked))
        {
            return revoked ? True : False;
        }

        if (familyKey is null)
        {
            return IsRecordedAsync(jwtId, cancellationToken);
        }

        // One statement: the token's own entry or its family's (two primary-key probes).
        var familyEntry = RevokedAccessToken.FamilyEntryId(familyKey);
        return db.RevokedAccessTokens.AnyAsync(r => r.JwtId == jwtId || r.JwtId == familyEntry, cancellationToken);
    }

    public Task<bool> IsRecordedAsync(string entryId, CancellationToken cancellationToken) =>
        db.RevokedAccessTokens.AnyAsync(r => r.JwtId == entryId, cancellationToken);

    public void Add(RevokedAccessToken revoked) => db.RevokedAccessTokens.Add(revoked);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        db.RevokedAccessTokens
            .Where(r => r.ExpiresAt <= now)
            .OrderBy(r => r.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);

    private static readonly Task<bool> True = Task.FromResult(true);

    private static readonly Task<bool> False = Task.FromResult(false);
}
