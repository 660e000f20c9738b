using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using AuthService.Application.Common.Interfaces;
using AuthService.Infrastructure.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.RequestObjects;

/// <summary>
/// Seal = base64url(JSON payload) "." base64url(HMAC-SHA256). The key is derived from the key-encryption key with
/// HKDF for this purpose only, so every replica verifies every replica's seals and no other secret is reused.
/// Times are kept to the tick: the sign-in check compares a session's sign-in time with the seal's, and a session
/// begun a moment before the request came must not pass for one begun after it.
/// </summary>
internal sealed class AuthorizationRequestSeal : IAuthorizationRequestSeal
{
    private const int MaxLength = 16 * 1024;
    private readonly byte[] _key;

    public AuthorizationRequestSeal(KeyEncryptionKey keyEncryptionKey)
    {
        _key = keyEncryptionKey.DeriveKey("authservice authorization request seal v1", 32);
    }

    public string Seal(SealedAuthorizationRequest request)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(
            (int)request.Origin, request.ClientId, request.IssuedAt.UtcTicks, request.ExpiresAt.UtcTicks,
            new Dictionary<string, string>(request.Parameters, StringComparer.Ordinal), request.PushedRequestHash));
        return Base64UrlEncoder.Encode(payload) + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(_key, payload));
    }

    public SealedAuthorizationRequest? Unseal(string sealedRequest)
    {
        var dot = sealedRequest.IndexOf('.', StringComparison.Ordinal);
        if (sealedRequest.Length > MaxLength || dot <= 0)
        {
            return null;
        }

        try
        {
            var payload = Base64UrlEncoder.DecodeBytes(sealedRequest[..dot]);
            var mac = Base64UrlEncoder.DecodeBytes(sealedRequest[(dot + 1)..]);
            if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)))
            {
                return null;
            }

            var read = JsonSerializer.Deserialize<Payload>(payload);
            return read is { ClientId: not null, Parameters: not null } && Enum.IsDefined((VerifiedRequestOrigin)read.Origin)
                ? new SealedAuthorizationRequest((VerifiedRequestOrigin)read.Origin, read.ClientId,
                    new DateTimeOffset(read.IssuedAt, TimeSpan.Zero), new DateTimeOffset(read.ExpiresAt, TimeSpan.Zero), read.Parameters, read.PushedRequestHash)
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    private sealed record Payload(
        [property: JsonPropertyName("o")] int Origin,
        [property: JsonPropertyName("c")] string ClientId,
        [property: JsonPropertyName("iat")] long IssuedAt,
        [property: JsonPropertyName("exp")] long ExpiresAt,
        [property: JsonPropertyName("p")] Dictionary<string, string> Parameters,
        [property: JsonPropertyName("par")] string? PushedRequestHash);
}
