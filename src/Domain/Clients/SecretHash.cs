using System.Security.Cryptography;
using System.Text;

namespace AuthService.Domain.Clients;

/// <summary>
/// SHA-256 of a client secret. Client secrets are generated with at least 128 bits of entropy, so a
/// fast hash is enough (a slow KDF protects low-entropy passwords, not random keys), and it keeps
/// client authentication off the CPU budget of the token endpoint. See docs/adr/0005.
/// </summary>
public sealed class SecretHash : IEquatable<SecretHash>
{
    public const int Length = 32;

    private readonly byte[] _value;

    private SecretHash(byte[] value) => _value = value;

    public static SecretHash Compute(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new SecretHash(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    public static SecretHash FromBytes(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length != Length)
        {
            throw new ArgumentException("A secret hash is 32 bytes.", nameof(value));
        }

        return new SecretHash((byte[])value.Clone());
    }

    public byte[] ToBytes() => (byte[])_value.Clone();

    /// <summary>Hashes <paramref name="presented"/> and compares in constant time (ASVS 11.2.4).</summary>
    public bool Matches(string presented)
    {
        Span<byte> candidate = stackalloc byte[Length];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(presented.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= 512 ? stackalloc byte[maxBytes] : (rented = new byte[maxBytes]);
        var written = Encoding.UTF8.GetBytes(presented, buffer);
        SHA256.HashData(buffer[..written], candidate);
        if (rented is not null)
        {
            CryptographicOperations.ZeroMemory(rented);
        }

        return CryptographicOperations.FixedTimeEquals(candidate, _value);
    }

    public bool Equals(SecretHash? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(_value, other._value);

    public override bool Equals(object? obj) => Equals(obj as SecretHash);

    public override int GetHashCode() => BitConverter.ToInt32(_value, 0);

    /// <summary>Never reveals the hash; it is not a secret, but it should not travel in logs either.</summary>
    public override string ToString() => "SecretHash(***)";
}
