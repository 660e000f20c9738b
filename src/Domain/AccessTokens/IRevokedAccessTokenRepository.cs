namespace AuthService.Domain.AccessTokens;

public interface IRevokedAccessTokenRepository
{
    /// <summary>
    /// Whether the token <paramref name="jwtId"/> is denied, itself or, when it names one (<paramref name="familyKey"/>, the
    /// <c>fam</c> claim), through its ended refresh token family: one lookup for both.
    /// </summary>
    Task<bool> IsRevokedAsync(string jwtId, string? familyKey, CancellationToken cancellationToken);

    /// <summary>Whether the entry <paramref name="entryId"/> is stored, read from the store itself (for a writer about to add it).</summary>
    Task<bool> IsRecordedAsync(string entryId, CancellationToken cancellationToken);

    void Add(RevokedAccessToken revoked);

    /// <summary>Deletes up to <paramref name="batchSize"/> entries whose token expired at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);
}
