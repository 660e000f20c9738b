namespace AuthService.Domain.Sessions;

public interface IUserSessionRepository
{
    Task<UserSession?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken);

    Task<UserSession?> FindAsync(Guid id, CancellationToken cancellationToken);

    void Add(UserSession session);

    /// <summary>Deletes every session of a user; returns how many.</summary>
    Task<int> DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="batchSize"/> sessions that ended or expired before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteEndedAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
