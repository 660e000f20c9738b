namespace AuthService.Domain.SigningKeys;

public interface ISigningKeyRepository
{
    /// <summary>Keys that are published or may still become so (pending, active, retired).</summary>
    Task<IReadOnlyList<SigningKey>> ListPublishedAsync(CancellationToken cancellationToken);

    void Add(SigningKey key);
}
