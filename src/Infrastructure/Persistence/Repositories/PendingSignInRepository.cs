using AuthService.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class PendingSignInRepository(AuthDbContext db) : IPendingSignInRepository
{
    public Task<PendingSignIn?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken) =>
        db.PendingSignIns.SingleOrDefaultAsync(p => p.HandleHash == handleHash, cancellationToken);

    public void Add(PendingSignIn pendingSignIn) => db.PendingSignIns.Add(pendingSignIn);

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        db.PendingSignIns
            .Where(p => p.ExpiresAt < cutoff)
            .OrderBy(p => p.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
