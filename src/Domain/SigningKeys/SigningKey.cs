using AuthService.Domain.Common;
using AuthService.Domain.SigningKeys.Events;

namespace AuthService.Domain.SigningKeys;

/// <summary>
/// A key the server signs tokens with. The private part is held only encrypted (by a key-encryption
/// key that is not in the database); the public part is published as a JWK. Every transition checks
/// the current state and throws <see cref="DomainRuleViolationException"/> when it does not apply.
/// </summary>
public sealed class SigningKey : AggregateRoot
{
    private SigningKey()
    {
        KeyId = null!;
        Algorithm = null!;
        PublicJwk = null!;
        ProtectedPrivateKey = null!;
        KeyEncryptionKeyId = null!;
    }

    public string KeyId { get; private set; }

    public string Algorithm { get; private set; }

    public SigningKeyState State { get; private set; }

    /// <summary>The public key as a JWK (JSON), exactly as published.</summary>
    public string PublicJwk { get; private set; }

    /// <summary>The private key (PKCS#8), encrypted with the key-encryption key named by <see cref="KeyEncryptionKeyId"/>.</summary>
    public byte[] ProtectedPrivateKey { get; private set; }

    public string KeyEncryptionKeyId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Earliest activation: resource servers must have had time to fetch the key first.</summary>
    public DateTimeOffset ActivatesAt { get; private set; }

    public DateTimeOffset? ActivatedAt { get; private set; }

    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>Earliest removal: every token the key signed has expired by then.</summary>
    public DateTimeOffset? RemovableAt { get; private set; }

    public DateTimeOffset? RemovedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Published in the JWKS: pending, active and retired keys.</summary>
    public bool IsPublished => State is SigningKeyState.Pending or SigningKeyState.Active or SigningKeyState.Retired;

    public static SigningKey Generate(
        string keyId,
        string algorithm,
        string publicJwk,
        byte[] protectedPrivateKey,
        string keyEncryptionKeyId,
        DateTimeOffset now,
        DateTimeOffset activatesAt)
    {
        Guard.Against(string.IsNullOrWhiteSpace(keyId) || keyId.Length > 100, "kid", "A key id is required (at most 100 characters).");
        Guard.Against(!SigningAlgorithms.IsSupported(algorithm), "alg", $"Unsupported signing algorithm '{algorithm}'.");
        Guard.Against(string.IsNullOrWhiteSpace(publicJwk), "jwk", "The public JWK is required.");
        Guard.Against(protectedPrivateKey is null || protectedPrivateKey.Length == 0, "private_key", "The protected private key is required.");
        Guard.Against(string.IsNullOrWhiteSpace(keyEncryptionKeyId), "kek", "The key-encryption key id is required.");
        Guard.RequireUtc(now, nameof(now));
        Guard.RequireUtc(activatesAt, "activates_at");
        Guard.Against(activatesAt < now, "activates_at", "A key cannot be due for activation before it exists.");

        var key = new SigningKey
        {
            KeyId = keyId,
            Algorithm = algorithm,
            State = SigningKeyState.Pending,
            PublicJwk = publicJwk,
            ProtectedPrivateKey = protectedPrivateKey!,
            KeyEncryptionKeyId = keyEncryptionKeyId,
            CreatedAt = now,
            ActivatesAt = activatesAt,
        };
        key.Raise(new SigningKeyGenerated(keyId, algorithm, now));
        return key;
    }

    /// <summary>Starts signing. Only a pending key whose propagation time has passed may activate.</summary>
    public void Activate(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        RequireState(SigningKeyState.Pending, "activate");
        Guard.Against(now < ActivatesAt, "activates_at", $"Key {KeyId} may not sign before {ActivatesAt:O}: it has not been published long enough.");
        State = SigningKeyState.Active;
        ActivatedAt = now;
        Raise(new SigningKeyActivated(KeyId, Algorithm, now));
    }

    /// <summary>Stops signing; stays published until <paramref name="removableAt"/> so tokens it signed still verify.</summary>
    public void Retire(DateTimeOffset now, DateTimeOffset removableAt)
    {
        Guard.RequireUtc(now, nameof(now));
        RequireState(SigningKeyState.Active, "retire");
        Guard.RequireUtc(removableAt, "removable_at");
        Guard.Against(removableAt < now, "removable_at", "A retired key cannot be removable before it retired.");
        State = SigningKeyState.Retired;
        RetiredAt = now;
        RemovableAt = removableAt;
        Raise(new SigningKeyRetired(KeyId, now));
    }

    /// <summary>Unpublishes a retired key once every token it signed has expired.</summary>
    public void Remove(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        RequireState(SigningKeyState.Retired, "remove");
        Guard.Against(now < RemovableAt, "removable_at", $"Key {KeyId} still verifies unexpired tokens until {RemovableAt:O}.");
        State = SigningKeyState.Removed;
        RemovedAt = now;
        Raise(new SigningKeyRemoved(KeyId, now));
    }

    /// <summary>
    /// Emergency: unpublish at once; tokens it signed stop verifying. False, changing nothing, when already revoked;
    /// a key removed in the normal way is no longer published and cannot be revoked (the caller checks <see cref="IsPublished"/>).
    /// </summary>
    public bool Revoke(DateTimeOffset now)
    {
        Guard.RequireUtc(now, nameof(now));
        if (State == SigningKeyState.Revoked)
        {
            return false;
        }

        Guard.Against(!IsPublished, "state", $"Key {KeyId} is {State} and cannot be revoked.");
        State = SigningKeyState.Revoked;
        RevokedAt = now;
        Raise(new SigningKeyRevoked(KeyId, now));
        return true;
    }

    private void RequireState(SigningKeyState expected, string action) =>
        Guard.Against(State != expected, "state", $"Key {KeyId} is {State}; only a {expected} key can {action}.");
}
