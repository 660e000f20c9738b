using AuthService.Domain.Federation;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class ExternalSignInRepository(AuthDbContext db) : IExternalSignInRepository
{
    public Task<ExternalSignIn?> FindByStateHashAsync(string stateHash, CancellationToken cancellationToken) =>
        db.ExternalSignIns.SingleOrDefaultAsync(s => s.StateHash == stateHash, cancellationToken);

    public Task<ExternalSignIn?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.ExternalSignIns.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);

    public void Add(ExternalSignIn signIn) => db.ExternalSignIns.Add(signIn);

    /// <summary>The proof stage outlives the round trip by at most its own lifetime: both are over once that has passed too.</summary>
    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        var ended = cutoff - ExternalSignIn.ProofLifetime;
        return db.ExternalSignIns
            .Where(s => s.ExpiresAt < ended)
            .OrderBy(s => s.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
