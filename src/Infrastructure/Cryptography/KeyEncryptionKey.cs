using System.Security.Cryptography;
using System.Text;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// The AES-256 key that encrypts private signing keys at rest (AES-GCM; the key id and algorithm are
/// bound as associated data, so a ciphertext cannot be moved to another key row). It never touches
/// the database: it comes from configuration (shared by every replica) or a local key file.
/// </summary>
public sealed class KeyEncryptionKey : IDisposable
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key;

    public KeyEncryptionKey(byte[] key)
    {
        if (key.Length != 32)
        {
            throw new ArgumentException("The key-encryption key must be 32 bytes (base64 of 32 random bytes).", nameof(key));
        }

        _key = (byte[])key.Clone();

        // The id is a fingerprint, so a replica can tell that a stored key was encrypted under another KEK.
        Id = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("authservice-kek:").Concat(_key).ToArray()))[..16];
    }

    public string Id { get; }

    public byte[] Protect(ReadOnlySpan<byte> plaintext, string keyId, string algorithm)
    {
        var output = new byte[1 + NonceSize + TagSize + plaintext.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), AssociatedData(keyId, algorithm));
        return output;
    }

    public byte[] Unprotect(byte[] protectedData, string keyId, string algorithm)
    {
        if (protectedData.Length < 1 + NonceSize + TagSize || protectedData[0] != FormatVersion)
        {
            throw new CryptographicException($"The stored private key of {keyId} has an unknown format.");
        }

        var plaintext = new byte[protectedData.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(protectedData.AsSpan(1, NonceSize), protectedData.AsSpan(1 + NonceSize + TagSize),
            protectedData.AsSpan(1 + NonceSize, TagSize), plaintext, AssociatedData(keyId, algorithm));
        return plaintext;
    }

    /// <summary>A key for another purpose, derived with HKDF-SHA256 so the key-encryption key itself is used for nothing else.</summary>
    public byte[] DeriveKey(string purpose, int length) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, length, salt: [], info: Encoding.UTF8.GetBytes(purpose));

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private static byte[] AssociatedData(string keyId, string algorithm) => Encoding.UTF8.GetBytes($"{algorithm}\n{keyId}");

    /// <summary>From <c>Auth:KeyEncryptionKey</c>, else from (or into) a key file readable only by this user.</summary>
    public static KeyEncryptionKey Load(string? configured, string keyFilePath, Action<string> warn)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(configured.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException("Auth:KeyEncryptionKey must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
            }

            if (bytes.Length != 32)
            {
                throw new InvalidOperationException("Auth:KeyEncryptionKey must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
            }

            return new KeyEncryptionKey(bytes);
        }

        if (File.Exists(keyFilePath))
        {
            return new KeyEncryptionKey(Convert.FromBase64String(File.ReadAllText(keyFilePath).Trim()));
        }

        warn($"Auth:KeyEncryptionKey is not set; generated a key-encryption key in {keyFilePath}. Replicas sharing a database must all be given the same Auth:KeyEncryptionKey.");
        Directory.CreateDirectory(Path.GetDirectoryName(keyFilePath)!);
        var generated = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(keyFilePath, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Convert.ToBase64String(generated));
        }

        return new KeyEncryptionKey(generated);
    }
}
