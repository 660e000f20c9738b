using AuthService.Domain.SigningKeys;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class SigningKeyRepository(AuthDbContext db) : ISigningKeyRepository
{
    public async Task<IReadOnlyList<SigningKey>> ListPublishedAsync(CancellationToken cancellationToken) =>
        await db.SigningKeys
            .Where(k => k.State == SigningKeyState.Pending || k.State == SigningKeyState.Active || k.State == SigningKeyState.Retired)
            .ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<SigningKey>> ListAsync(SigningKeyState? state, CancellationToken cancellationToken) =>
        await db.SigningKeys.AsNoTracking()
            .Where(k => state == null || k.State == state)
            .ToListAsync(cancellationToken);

    public Task<SigningKey?> FindAsync(string keyId, CancellationToken cancellationToken) =>
        db.SigningKeys.SingleOrDefaultAsync(k => k.KeyId == keyId, cancellationToken);

    public void Add(SigningKey key) => db.SigningKeys.Add(key);
}
