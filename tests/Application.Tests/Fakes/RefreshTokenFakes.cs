using AuthService.Domain.RefreshTokens;

namespace AuthService.Application.Tests.Fakes;

/// <summary>
/// Refresh token families in memory: enough for handlers that look tokens up and revoke families. A refresh reads the
/// family's person with it, from <paramref name="users"/> (none given: the person is gone).
/// </summary>
internal sealed class InMemoryRefreshTokenFamilyRepository(InMemoryUserRepository? users = null) : IRefreshTokenFamilyRepository
{
    public List<RefreshTokenFamily> Families { get; } = [];

    public List<RefreshToken> Tokens { get; } = [];

    public Task<(RefreshTokenFamily Family, RefreshToken Token)?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var token = Tokens.FirstOrDefault(t => t.TokenHash == tokenHash);
        var family = token is null ? null : Families.FirstOrDefault(f => f.Id == token.FamilyId);
        return Task.FromResult<(RefreshTokenFamily, RefreshToken)?>(family is null ? null : (family, token!));
    }

    public async Task<RefreshTokenLookup?> FindForRefreshAsync(string tokenHash, CancellationToken cancellationToken) =>
        await FindByTokenHashAsync(tokenHash, cancellationToken) is var (family, token)
            ? new RefreshTokenLookup(family, token, users?.Users.FirstOrDefault(u => u.Id == family.UserId))
            : null;

    public Task<RefreshTokenFamily?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(Families.FirstOrDefault(f => f.Id == id));

    public Task<IReadOnlyList<RefreshTokenFamily>> ListActiveAsync(Guid userId, string? clientId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RefreshTokenFamily>>([.. Families.Where(f => f.UserId == userId && (clientId is null || f.ClientId == clientId) && f.IsActive(now))]);

    public Task<IReadOnlyList<Guid>> ListUnrevokedForSessionAsync(Guid sessionId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. Families.Where(f => f.SessionId == sessionId && f.RevokedAt is null).Select(f => f.Id)]);

    public void Add(RefreshTokenFamily family, RefreshToken firstToken)
    {
        Families.Add(family);
        Tokens.Add(firstToken);
    }

    public void AddToken(RefreshToken token) => Tokens.Add(token);

    public Task<IReadOnlyList<Guid>> ListUnrevokedAsync(Guid? userId, string? clientId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. Families.Where(f => Owned(f, userId, clientId) && f.RevokedAt is null).Select(f => f.Id)]);

    public Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken)
    {
        var ids = Families.Where(f => Owned(f, userId, clientId)).Select(f => f.Id).ToHashSet();
        Tokens.RemoveAll(t => ids.Contains(t.FamilyId));
        return Task.FromResult(Families.RemoveAll(f => ids.Contains(f.Id)));
    }

    private static bool Owned(RefreshTokenFamily family, Guid? userId, string? clientId) =>
        (userId is null || family.UserId == userId) && (clientId is null || family.ClientId == clientId);

    public Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(Families.RemoveAll(f => f.AbsoluteExpiresAt < cutoff || f.RevokedAt < cutoff));
}
