namespace AuthService.Domain.Passkeys;

public interface IPasskeyCeremonyRepository
{
    Task<PasskeyCeremony?> FindByHandleHashAsync(string handleHash, CancellationToken cancellationToken);

    void Add(PasskeyCeremony ceremony);
}
