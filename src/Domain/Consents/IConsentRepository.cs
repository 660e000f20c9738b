namespace AuthService.Domain.Consents;

public interface IConsentRepository
{
    Task<Consent?> FindAsync(Guid userId, string clientId, CancellationToken cancellationToken);

    /// <summary>
    /// All consents, or those of a user, to a client, or both (null filters are not applied), ordered by user id then client id,
    /// strictly after <paramref name="after"/> when given (keyset paging), at most <paramref name="limit"/>. Not tracked.
    /// </summary>
    Task<IReadOnlyList<Consent>> ListAsync(Guid? userId, string? clientId, (Guid UserId, string ClientId)? after, int limit, CancellationToken cancellationToken);

    void Add(Consent consent);

    void Remove(Consent consent);

    /// <summary>Deletes every consent of a user or to a client (exactly one of the two is given); returns how many.</summary>
    Task<int> DeleteAllAsync(Guid? userId, string? clientId, CancellationToken cancellationToken);
}
