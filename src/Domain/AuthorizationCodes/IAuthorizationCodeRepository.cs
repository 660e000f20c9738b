namespace AuthService.Domain.AuthorizationCodes;

public interface IAuthorizationCodeRepository
{
    Task<AuthorizationCode?> FindAsync(string codeHash, CancellationToken cancellationToken);

    void Add(AuthorizationCode code);

    /// <summary>The codes of a session that are neither redeemed nor expired, to withdraw at logout.</summary>
    Task<IReadOnlyList<AuthorizationCode>> ListUsableForSessionAsync(Guid sessionId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> codes that expired before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
