using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Interfaces;
using AuthService.Infrastructure.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// Cursor = base64url(key) "." base64url(HMAC-SHA256(key)[..16]). The HMAC key is derived from the
/// key-encryption key with HKDF for this purpose only, so every replica accepts every replica's cursors
/// and no other secret is reused (GO-2026-4807: purpose-separated secrets, tampered cursor = 400).
/// </summary>
internal sealed class PageCursors : IPageCursors
{
    private const int MacLength = 16;
    private readonly byte[] _key;

    public PageCursors(KeyEncryptionKey keyEncryptionKey)
    {
        _key = keyEncryptionKey.DeriveKey("authservice admin page cursor v1", 32);
    }

    public string Protect(string key)
    {
        var payload = Encoding.UTF8.GetBytes(key);
        return Base64UrlEncoder.Encode(payload) + "." + Base64UrlEncoder.Encode(Mac(payload));
    }

    public string? Unprotect(string cursor)
    {
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (cursor.Length > 1024 || dot <= 0)
        {
            return null;
        }

        try
        {
            var payload = Base64UrlEncoder.DecodeBytes(cursor[..dot]);
            var mac = Base64UrlEncoder.DecodeBytes(cursor[(dot + 1)..]);
            return CryptographicOperations.FixedTimeEquals(mac, Mac(payload)) ? Encoding.UTF8.GetString(payload) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private byte[] Mac(byte[] payload) => HMACSHA256.HashData(_key, payload)[..MacLength];
}
