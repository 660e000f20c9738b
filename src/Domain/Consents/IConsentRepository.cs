namespace AuthService.Domain.Consents;

public interface IConsentRepository
{
    Task<Consent?> FindAsync(Guid userId, string clientId, CancellationToken cancellationToken);

    void Add(Consent consent);

    /// <summary>Deletes every consent of a user or to a client (exactly one of the two is given); returns how many.</summary>
    Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken);
}
