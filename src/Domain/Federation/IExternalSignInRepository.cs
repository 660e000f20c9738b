namespace AuthService.Domain.Federation;

public interface IExternalSignInRepository
{
    Task<ExternalSignIn?> FindByStateHashAsync(string stateHash, CancellationToken cancellationToken);

    Task<ExternalSignIn?> FindAsync(Guid id, CancellationToken cancellationToken);

    void Add(ExternalSignIn signIn);

    /// <summary>Deletes round trips whose lifetime and proof stage ended before <paramref name="cutoff"/>.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
