using AuthService.Domain.LogoutNotifications;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class LogoutNotificationRepository(AuthDbContext db) : OutboxRepository<LogoutNotification>(db), ILogoutNotificationRepository
{
    public async Task<IReadOnlyList<LogoutNotification>> ListAsync(string? clientId, int limit, CancellationToken cancellationToken) =>
        await Messages.AsNoTracking()
            .Where(n => clientId == null || n.ClientId == clientId)
            .OrderByDescending(n => n.CreatedAt)
            .ThenBy(n => n.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
}
