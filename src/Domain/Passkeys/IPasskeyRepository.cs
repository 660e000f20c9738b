namespace AuthService.Domain.Passkeys;

public interface IPasskeyRepository
{
    Task<Passkey?> FindByCredentialIdAsync(byte[] credentialId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Passkey>> ListByUserIdAsync(Guid userId, CancellationToken cancellationToken);

    Task<bool> AnyForUserAsync(Guid userId, CancellationToken cancellationToken);

    void Add(Passkey passkey);

    void Remove(Passkey passkey);
}
