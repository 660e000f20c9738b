using AuthService.Domain.Passkeys;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class PasskeyRepository(AuthDbContext db) : IPasskeyRepository
{
    public Task<Passkey?> FindByCredentialIdAsync(byte[] credentialId, CancellationToken cancellationToken) =>
        db.Passkeys.SingleOrDefaultAsync(p => p.CredentialId == credentialId, cancellationToken);

    public async Task<IReadOnlyList<Passkey>> ListByUserIdAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Passkeys.Where(p => p.UserId == userId).OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);

    public Task<bool> AnyForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Passkeys.AnyAsync(p => p.UserId == userId, cancellationToken);

    public void Add(Passkey passkey) => db.Passkeys.Add(passkey);

    public void Remove(Passkey passkey) => db.Passkeys.Remove(passkey);
}

internal sealed class PasskeyCeremonyRepository(AuthDbContext db) : IPasskeyCeremonyRepository
{
    public Task<PasskeyCeremony?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken) =>
        db.PasskeyCeremonies.SingleOrDefaultAsync(c => c.HandleHash == handleHash, cancellationToken);

    public void Add(PasskeyCeremony ceremony) => db.PasskeyCeremonies.Add(ceremony);

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        db.PasskeyCeremonies
            .Where(c => c.ExpiresAt < cutoff)
            .OrderBy(c => c.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
