namespace AuthService.Domain.AuthorizationCodes;

public interface IAuthorizationCodeRepository
{
    Task<AuthorizationCode?> FindAsync(string codeHash, CancellationToken cancellationToken);

    /// <summary>
    /// For a redemption (docs/adr/0040): the code with this hash and its person (null when gone), in one round
    /// trip; null when no such code exists.
    /// </summary>
    Task<(AuthorizationCode Code, Users.User? User)?> FindWithUserAsync(string codeHash, CancellationToken cancellationToken);

    void Add(AuthorizationCode code);

    /// <summary>Deletes every code of a user or of a client (exactly one of the two is given); returns how many.</summary>
    Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken);

    /// <summary>The codes of a session that are neither redeemed nor expired, to withdraw at logout.</summary>
    Task<IReadOnlyList<AuthorizationCode>> ListUsableForSessionAsync(Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The codes a user was issued for a client that are neither redeemed nor expired, to withdraw with a revoked consent.</summary>
    Task<IReadOnlyList<AuthorizationCode>> ListUsableAsync(Guid userId, string clientId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> codes that expired before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
