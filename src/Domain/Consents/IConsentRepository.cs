namespace AuthService.Domain.Consents;

public interface IConsentRepository
{
    Task<Consent?> FindAsync(Guid userId, string clientId, CancellationToken cancellationToken);

    void Add(Consent consent);
}
