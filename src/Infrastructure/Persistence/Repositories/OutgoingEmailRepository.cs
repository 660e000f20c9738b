using AuthService.Domain.Email;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class OutgoingEmailRepository(AuthDbContext db) : OutboxRepository<OutgoingEmail>(db), IOutgoingEmailRepository
{
    public async Task<IReadOnlyList<OutgoingEmail>> ListAsync(Guid? userId, int limit, CancellationToken cancellationToken) =>
        await Messages.AsNoTracking()
            .Where(e => userId == null || e.UserId == userId)
            .OrderByDescending(e => e.CreatedAt)
            .ThenBy(e => e.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
}
