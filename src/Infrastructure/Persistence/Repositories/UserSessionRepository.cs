using AuthService.Domain.Sessions;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class UserSessionRepository(AuthDbContext db) : IUserSessionRepository
{
    public Task<UserSession?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken) =>
        db.UserSessions.SingleOrDefaultAsync(s => s.HandleHash == handleHash, cancellationToken);

    public Task<UserSession?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.UserSessions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);

    public async Task<IReadOnlyList<UserSession>> ListCurrentForUserAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.UserSessions
            .Where(s => s.UserId == userId && s.EndedAt == null && s.ExpiresAt > now && s.IdleExpiresAt > now)
            .OrderByDescending(s => s.AuthenticatedAt)
            .ThenBy(s => s.Id)
            .ToListAsync(cancellationToken);

    public void Add(UserSession session) => db.UserSessions.Add(session);

    public Task<int> DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        db.UserSessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    public Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        db.UserSessions
            .Where(s => s.ExpiresAt < cutoff || s.IdleExpiresAt < cutoff || (s.EndedAt != null && s.EndedAt < cutoff))
            .OrderBy(s => s.ExpiresAt)
            .Take(batchSize)
            .ExecuteDeleteAsync(cancellationToken);
}
