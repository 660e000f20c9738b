using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace AuthService.ResourceServer.Dpop;

/// <summary>
/// Server-provided DPoP nonces (RFC 9449 §9) without server-side state: a nonce is the time it was issued and an
/// HMAC-SHA256 over it under a key of this API, so any replica holding the key can check it, and its age bounds
/// how long a proof made with it is accepted. The nonce is opaque to clients (§8.1).
/// </summary>
internal sealed class DpopNonces
{
    private const int MacLength = 16;

    private readonly byte[] _key;
    private readonly TimeProvider _clock;

    public DpopNonces(DpopOptions options, TimeProvider clock)
    {
        _clock = clock;
        _key = options.NonceKey is { } configured && DpopOptions.TryDecodeKey(configured, out var key) ? key : RandomNumberGenerator.GetBytes(32);
    }

    public string Issue()
    {
        Span<byte> nonce = stackalloc byte[8 + MacLength];
        BinaryPrimitives.WriteInt64BigEndian(nonce, _clock.GetUtcNow().ToUnixTimeSeconds());
        HMACSHA256.HashData(_key, nonce[..8])[..MacLength].CopyTo(nonce[8..]);
        return Base64Url.EncodeToString(nonce);
    }

    public bool IsCurrent(string? nonce, TimeSpan lifetime)
    {
        if (nonce is not { Length: > 0 and < 64 } || Jose.CompactJws.Decode(nonce) is not { Length: 8 + MacLength } bytes)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(_key, bytes.AsSpan(0, 8))[..MacLength];
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(8)))
        {
            return false;
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(bytes));
        var now = _clock.GetUtcNow();
        return issuedAt <= now && now - issuedAt < lifetime;
    }
}
