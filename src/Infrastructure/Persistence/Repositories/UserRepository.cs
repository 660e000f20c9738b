using AuthService.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class UserRepository(AuthDbContext db, Caching.AccountStates accounts) : IUserRepository
{
    public Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    /// <remarks>From this replica's account states while they are current (docs/adr/0040), otherwise one narrow read.</remarks>
    public async Task<bool> IsEnabledAsync(Guid id, CancellationToken cancellationToken)
    {
        if (accounts.TryGet(id, out var remembered))
        {
            return remembered;
        }

        var epoch = accounts.Epoch;
        var enabled = await db.Users.AnyAsync(u => u.Id == id && !u.Disabled, cancellationToken);
        accounts.Store(id, enabled, epoch);
        return enabled;
    }

    public Task<User?> FindByNormalizedEmailAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);

    public Task<User?> FindByNormalizedUsernameAsync(string normalizedUsername, CancellationToken cancellationToken) =>
        db.Users.FirstOrDefaultAsync(u => u.NormalizedUsername == normalizedUsername, cancellationToken);

    public async Task<IReadOnlyList<User>> ListAsync(UserFilter filter, string? afterNormalizedUsername, int take, CancellationToken cancellationToken)
    {
        var query = db.Users.AsNoTracking();
        if (filter.NormalizedPrefix is { } prefix)
        {
            // StartsWith with a parameter: the provider escapes LIKE wildcards in the prefix, so "%" or "_" match literally.
            query = query.Where(u => u.NormalizedUsername.StartsWith(prefix) || (u.NormalizedEmail != null && u.NormalizedEmail.StartsWith(prefix)));
        }

        if (filter.Disabled is { } disabled)
        {
            query = query.Where(u => u.Disabled == disabled);
        }

        if (filter.LockedOut is { } lockedOut)
        {
            var now = filter.Now;
            query = lockedOut
                ? query.Where(u => u.LockoutEndsAt != null && u.LockoutEndsAt > now)
                : query.Where(u => u.LockoutEndsAt == null || u.LockoutEndsAt <= now);
        }

        if (afterNormalizedUsername is not null)
        {
            query = query.Where(u => string.Compare(u.NormalizedUsername, afterNormalizedUsername) > 0);
        }

        return await query.OrderBy(u => u.NormalizedUsername).Take(take).ToListAsync(cancellationToken);
    }

    public void Add(User user) => db.Users.Add(user);

    public void Remove(User user) => db.Users.Remove(user);
}
