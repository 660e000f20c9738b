namespace AuthService.Domain.Clients;

/// <summary>
/// One credential of a confidential client, stored only as a hash. Several may be valid at once
/// while a secret is rotated; each may carry an expiry after which it no longer authenticates.
/// </summary>
public sealed class ClientSecret
{
    private ClientSecret()
    {
        Hash = null!;
    }

    internal ClientSecret(Guid id, SecretHash hash, DateTimeOffset createdAt, DateTimeOffset? expiresAt, byte[]? protectedValue = null)
    {
        Id = id;
        Hash = hash;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
        ProtectedValue = protectedValue is null ? null : (byte[])protectedValue.Clone();
    }

    public Guid Id { get; private set; }

    public SecretHash Hash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>
    /// The secret itself, encrypted with the key-encryption key, kept only for <c>client_secret_jwt</c>
    /// whose HMAC needs the secret as its key (docs/adr/0005); null for every other method.
    /// </summary>
    public byte[]? ProtectedValue { get; private set; }

    /// <summary>Brings the expiry forward to <paramref name="at"/>; a secret already expiring earlier keeps its expiry.</summary>
    internal void ExpireNoLaterThan(DateTimeOffset at)
    {
        if (ExpiresAt is null || at < ExpiresAt.Value)
        {
            ExpiresAt = at;
        }
    }

    public bool IsValidAt(DateTimeOffset now) => IsValidAt(ExpiresAt, now);

    /// <summary>The expiry rule, stated once for the secret and for read models that copy it: valid strictly before its expiry.</summary>
    public static bool IsValidAt(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is null || now < expiresAt.Value;

    /// <summary>
    /// Whether <paramref name="presented"/> matches a secret with this hash and expiry at <paramref name="now"/>.
    /// Both parts are always evaluated (no short-circuit), so the time taken does not tell which one failed.
    /// </summary>
    public static bool Authenticates(SecretHash hash, DateTimeOffset? expiresAt, string presented, DateTimeOffset now) =>
        hash.Matches(presented) & IsValidAt(expiresAt, now);
}
