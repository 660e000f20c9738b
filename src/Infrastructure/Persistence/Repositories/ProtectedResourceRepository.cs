using AuthService.Domain.Resources;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class ProtectedResourceRepository(AuthDbContext db) : IProtectedResourceRepository
{
    public Task<ProtectedResource?> FindAsync(string resource, CancellationToken cancellationToken) =>
        db.ProtectedResources.FirstOrDefaultAsync(r => r.Resource == resource, cancellationToken);

    public async Task<IReadOnlyList<ProtectedResource>> FindManyAsync(IReadOnlyCollection<string> resources, CancellationToken cancellationToken) =>
        resources.Count == 0
            ? []
            : await db.ProtectedResources.AsNoTracking().Where(r => resources.Contains(r.Resource)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<ProtectedResource>> ListAsync(string? after, int take, CancellationToken cancellationToken)
    {
        var query = db.ProtectedResources.AsNoTracking().OrderBy(r => r.Resource).AsQueryable();
        if (after is not null)
        {
            query = query.Where(r => string.Compare(r.Resource, after) > 0);
        }

        return await query.Take(take).ToListAsync(cancellationToken);
    }

    public void Add(ProtectedResource resource) => db.ProtectedResources.Add(resource);

    public void Remove(ProtectedResource resource) => db.ProtectedResources.Remove(resource);
}
