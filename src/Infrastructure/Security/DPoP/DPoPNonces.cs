using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using AuthService.Application.Common.DPoP;
using AuthService.Infrastructure.Cryptography;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security.DPoP;

/// <summary>
/// Stateless DPoP nonces (RFC 9449 §8, §9): the time step, and an HMAC-SHA256 of it under a key derived from the
/// key-encryption key, which every replica shares. A nonce is accepted in its own step and the next, so one made
/// by any replica just before a step boundary still works, and none works for more than two steps. The server
/// keeps nothing; a nonce says nothing but the time step.
/// </summary>
internal sealed class DPoPNonces : IDPoPNonces
{
    private const string Purpose = "authservice dpop-nonce v1";
    private const int StepLength = sizeof(long);
    private const int MacLength = 16;

    private readonly byte[] _key;
    private readonly long _stepSeconds;
    private readonly TimeProvider _clock;

    public DPoPNonces(KeyEncryptionKey keyEncryptionKey, IOptions<DPoPOptions> options, TimeProvider clock)
    {
        _key = keyEncryptionKey.DeriveKey(Purpose, 32);
        _stepSeconds = Math.Max(1, (long)options.Value.NonceLifetime.TotalSeconds);
        _clock = clock;
    }

    public string Current() => Make(CurrentStep());

    public bool IsValid(string? nonce)
    {
        if (nonce is not { Length: > 0 and <= 64 })
        {
            return false;
        }

        // IsValid first: TryDecodeFromChars throws on malformed input rather than answering false.
        Span<byte> bytes = stackalloc byte[64];
        if (!Base64Url.IsValid(nonce, out var length) || length != StepLength + MacLength
            || !Base64Url.TryDecodeFromChars(nonce, bytes, out var written) || written != StepLength + MacLength)
        {
            return false;
        }

        var step = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var current = CurrentStep();
        if (step != current && step != current - 1)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(bytes.Slice(StepLength, MacLength), Mac(step));
    }

    private long CurrentStep() => _clock.GetUtcNow().ToUnixTimeSeconds() / _stepSeconds;

    private string Make(long step)
    {
        var bytes = new byte[StepLength + MacLength];
        BinaryPrimitives.WriteInt64BigEndian(bytes, step);
        Mac(step).CopyTo(bytes.AsSpan(StepLength));
        return Base64Url.EncodeToString(bytes);
    }

    private byte[] Mac(long step)
    {
        Span<byte> input = stackalloc byte[StepLength];
        BinaryPrimitives.WriteInt64BigEndian(input, step);
        return HMACSHA256.HashData(_key, input)[..MacLength];
    }
}
