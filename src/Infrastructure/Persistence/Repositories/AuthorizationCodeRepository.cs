using AuthService.Domain.AuthorizationCodes;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class AuthorizationCodeRepository(AuthDbContext db) : IAuthorizationCodeRepository
{
    public Task<AuthorizationCode?> FindAsync(string codeHash, CancellationToken cancellationToken) =>
        db.AuthorizationCodes.SingleOrDefaultAsync(c => c.CodeHash == codeHash, cancellationToken);

    public async Task<(AuthorizationCode Code, Domain.Users.User? User)?> FindWithUserAsync(string codeHash, CancellationToken cancellationToken)
    {
        // One round trip instead of two (the code, then its person). Tracked, as the redemption marks the code; the person
        // is only read. A left join: a code whose person is gone still reads (and is refused as such).
        var found = await db.AuthorizationCodes.AsTracking()
            .Where(c => c.CodeHash == codeHash)
            .LeftJoin(db.Users, c => c.UserId, u => u.Id, (c, u) => new { Code = c, User = u })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.Code, found.User);
    }

    public void Add(AuthorizationCode code) => db.AuthorizationCodes.Add(code);

    public Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken) => (userId, clientId) switch
    {
        ({ } user, null) => db.AuthorizationCodes.Where(c => c.UserId == user).ExecuteDeleteAsync(cancellationToken),
        (null, { } client) => db.AuthorizationCodes.Where(c => c.ClientId == client).ExecuteDeleteAsync(cancellationToken),
        _ => throw new ArgumentException("Give a user or a client, not both."),
    };

    public async Task<IReadOnlyList<AuthorizationCode>> ListUsableForSessionAsync(Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.AuthorizationCodes.Where(c => c.SessionId == sessionId && c.RedeemedAt == null && c.ExpiresAt > now).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<AuthorizationCode>> ListUsableAsync(Guid userId, string clientId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.AuthorizationCodes.Where(c => c.UserId == userId && c.ClientId == clientId && c.RedeemedAt == null && c.ExpiresAt > now).ToListAsync(cancellationToken);

    public Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        db.AuthorizationCodes
            .Where(c => c.ExpiresAt < cutoff)
            .OrderBy(c => c.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
