namespace AuthService.Domain.Sessions;

public interface IUserSessionRepository
{
    Task<UserSession?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken);

    Task<UserSession?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// The sessions of a user that have neither ended nor expired at <paramref name="now"/>, newest sign-in
    /// first (whether their security stamp is still the user's is for the caller to judge).
    /// </summary>
    Task<IReadOnlyList<UserSession>> ListCurrentForUserAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken);

    void Add(UserSession session);

    /// <summary>Deletes every session of a user; returns how many.</summary>
    Task<int> DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> sessions that ended or expired before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
