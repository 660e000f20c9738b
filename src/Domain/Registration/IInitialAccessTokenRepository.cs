namespace AuthService.Domain.Registration;

public interface IInitialAccessTokenRepository
{
    Task<InitialAccessToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken);

    Task<InitialAccessToken?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Every token not yet expired, newest first; read-only.</summary>
    Task<IReadOnlyList<InitialAccessToken>> ListCurrentAsync(DateTimeOffset now, CancellationToken cancellationToken);

    void Add(InitialAccessToken token);
}
