namespace AuthService.Domain.RefreshTokens;

public interface IRefreshTokenFamilyRepository
{
    /// <summary>The token with this hash and its family, or null when no such token was ever issued.</summary>
    Task<(RefreshTokenFamily Family, RefreshToken Token)?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>
    /// For a refresh (docs/adr/0040): the token with this hash, its family (to rotate) and the family's person (null when
    /// gone), in one round trip; null when no such token was ever issued.
    /// </summary>
    Task<RefreshTokenLookup?> FindForRefreshAsync(string tokenHash, CancellationToken cancellationToken);

    Task<RefreshTokenFamily?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>The active families of a user (with a client, when given), for revocation on logout, password change or consent withdrawal.</summary>
    Task<IReadOnlyList<RefreshTokenFamily>> ListActiveAsync(Guid userId, string? clientId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The ids of the unrevoked families started in a browser session, for revocation at logout.</summary>
    Task<IReadOnlyList<Guid>> ListUnrevokedForSessionAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>The ids of the unrevoked families of a user or of a client (exactly one of the two is given), for revocation before deletion.</summary>
    Task<IReadOnlyList<Guid>> ListUnrevokedAsync(Guid? userId, string? clientId, CancellationToken cancellationToken);

    /// <summary>Deletes every family (with its tokens) of a user or of a client; returns how many.</summary>
    Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken);

    void Add(RefreshTokenFamily family, RefreshToken firstToken);

    void AddToken(RefreshToken token);

    /// <summary>Deletes up to <paramref name="batchSize"/> families (with their tokens) that ended before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
