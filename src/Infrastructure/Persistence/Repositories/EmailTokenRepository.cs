using AuthService.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class EmailTokenRepository(AuthDbContext db) : IEmailTokenRepository
{
    public void Add(EmailToken token) => db.EmailTokens.Add(token);

    public Task<EmailToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        db.EmailTokens.SingleOrDefaultAsync(t => t.TokenHash == tokenHash, cancellationToken);

    public async Task<IReadOnlyList<EmailToken>> ListOpenAsync(Guid userId, EmailTokenPurpose purpose, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.EmailTokens
            .Where(t => t.UserId == userId && t.Purpose == purpose && t.ConsumedAt == null && t.RevokedAt == null && t.ExpiresAt > now)
            .ToListAsync(cancellationToken);

    // Oldest expiry first, along the expires_at index; one statement per batch (a DELETE whose rows a subquery picks,
    // limited to n), so a backlog never holds many row locks at once.
    public Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        db.EmailTokens
            .Where(t => t.ExpiresAt < cutoff || t.ConsumedAt < cutoff || t.RevokedAt < cutoff)
            .OrderBy(t => t.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
