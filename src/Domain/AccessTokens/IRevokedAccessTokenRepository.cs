namespace AuthService.Domain.AccessTokens;

public interface IRevokedAccessTokenRepository
{
    Task<bool> IsRevokedAsync(string jwtId, CancellationToken cancellationToken);

    void Add(RevokedAccessToken revoked);
}
