namespace AuthService.Domain.Passkeys;

public interface IPasskeyCeremonyRepository
{
    Task<PasskeyCeremony?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken);

    void Add(PasskeyCeremony ceremony);

    /// <summary>Deletes up to <paramref name="batchSize"/> ceremonies (spent or not) that expired before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}
