namespace AuthService.Domain.Sessions;

public interface IPendingSignInRepository
{
    Task<PendingSignIn?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken);

    void Add(PendingSignIn pendingSignIn);

    /// <summary>Deletes up to <paramref name="batchSize"/> pending sign-ins that expired before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
