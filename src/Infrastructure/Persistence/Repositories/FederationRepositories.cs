using AuthService.Domain.Federation;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class ExternalProviderRepository(AuthDbContext db) : IExternalProviderRepository
{
    public Task<ExternalProvider?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        db.ExternalProviders.SingleOrDefaultAsync(p => p.Name == name, cancellationToken);

    public Task<ExternalProvider?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.ExternalProviders.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);

    public async Task<IReadOnlyList<ExternalProvider>> ListAsync(bool enabledOnly, CancellationToken cancellationToken) =>
        await db.ExternalProviders.Where(p => !enabledOnly || p.Enabled).OrderBy(p => p.Name).ToListAsync(cancellationToken);

    public void Add(ExternalProvider provider) => db.ExternalProviders.Add(provider);

    public void Remove(ExternalProvider provider) => db.ExternalProviders.Remove(provider);
}

internal sealed class ExternalIdentityRepository(AuthDbContext db) : IExternalIdentityRepository
{
    public Task<ExternalIdentity?> FindAsync(Guid providerId, string subject, CancellationToken cancellationToken) =>
        db.ExternalIdentities.SingleOrDefaultAsync(i => i.ProviderId == providerId && i.Subject == subject, cancellationToken);

    public async Task<IReadOnlyList<ExternalIdentity>> ListByUserIdAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.ExternalIdentities.Where(i => i.UserId == userId).OrderBy(i => i.LinkedAt).ToListAsync(cancellationToken);

    public Task<bool> AnyForProviderAsync(Guid providerId, CancellationToken cancellationToken) =>
        db.ExternalIdentities.AnyAsync(i => i.ProviderId == providerId, cancellationToken);

    public void Add(ExternalIdentity identity) => db.ExternalIdentities.Add(identity);

    public void Remove(ExternalIdentity identity) => db.ExternalIdentities.Remove(identity);
}
