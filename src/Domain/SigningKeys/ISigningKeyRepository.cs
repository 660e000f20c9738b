namespace AuthService.Domain.SigningKeys;

public interface ISigningKeyRepository
{
    /// <summary>Keys that are published or may still become so (pending, active, retired).</summary>
    Task<IReadOnlyList<SigningKey>> ListPublishedAsync(CancellationToken cancellationToken);

    /// <summary>Every key ever generated (in any state, or in <paramref name="state"/> only), for the admin list; not tracked.</summary>
    Task<IReadOnlyList<SigningKey>> ListAsync(SigningKeyState? state, CancellationToken cancellationToken);

    Task<SigningKey?> FindAsync(string keyId, CancellationToken cancellationToken);

    void Add(SigningKey key);
}
