using AuthService.Domain.PushedAuthorizationRequests;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class PushedAuthorizationRequestRepository(AuthDbContext db) : IPushedAuthorizationRequestRepository
{
    public Task<PushedAuthorizationRequest?> FindByRequestUriHashAsync(string requestUriHash, CancellationToken cancellationToken) =>
        db.PushedAuthorizationRequests.SingleOrDefaultAsync(r => r.RequestUriHash == requestUriHash, cancellationToken);

    public void Add(PushedAuthorizationRequest request) => db.PushedAuthorizationRequests.Add(request);

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        db.PushedAuthorizationRequests
            .Where(r => r.ExpiresAt < cutoff)
            .OrderBy(r => r.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
