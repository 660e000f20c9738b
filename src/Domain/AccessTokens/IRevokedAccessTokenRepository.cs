namespace AuthService.Domain.AccessTokens;

public interface IRevokedAccessTokenRepository
{
    Task<bool> IsRevokedAsync(string jwtId, CancellationToken cancellationToken);

    void Add(RevokedAccessToken revoked);

    /// <summary>Deletes up to <paramref name="batchSize"/> entries whose token expired at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);
}
