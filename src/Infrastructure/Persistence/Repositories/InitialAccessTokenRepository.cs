using AuthService.Domain.Registration;
using Microsoft.EntityFrameworkCore;

namespace AuthService.Infrastructure.Persistence.Repositories;

internal sealed class InitialAccessTokenRepository(AuthDbContext db) : IInitialAccessTokenRepository
{
    public Task<InitialAccessToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        db.InitialAccessTokens.FirstOrDefaultAsync(t => t.TokenHash == tokenHash, cancellationToken);

    public Task<InitialAccessToken?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        db.InitialAccessTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);

    public async Task<IReadOnlyList<InitialAccessToken>> ListCurrentAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.InitialAccessTokens.AsNoTracking().Where(t => t.ExpiresAt > now).OrderByDescending(t => t.CreatedAt).Take(500).ToListAsync(cancellationToken);

    public void Add(InitialAccessToken token) => db.InitialAccessTokens.Add(token);
}
