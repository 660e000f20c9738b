using AuthService.Domain.AccessTokens;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class RevokedAccessTokenRepository(AuthDbContext db) : IRevokedAccessTokenRepository
{
    public Task<bool> IsRevokedAsync(string jwtId, CancellationToken cancellationToken) =>
        db.RevokedAccessTokens.AnyAsync(r => r.JwtId == jwtId, cancellationToken);

    public void Add(RevokedAccessToken revoked) => db.RevokedAccessTokens.Add(revoked);

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        db.RevokedAccessTokens
            .Where(r => r.ExpiresAt <= now)
            .OrderBy(r => r.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
