using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Interfaces;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// Argon2id (RFC 9106) at m=19456 KiB, t=2, p=1, the first row of the OWASP Password Storage Cheat Sheet
/// (ASVS 5.0 Appendix C names Argon2id first), with a 128-bit random salt and a 256-bit output, stored as a
/// PHC string <c>$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH</c> (unpadded base64). A hash under other
/// parameters verifies and asks to be re-hashed, and so does a PBKDF2 hash of the previous format
/// (docs/adr/0010): the next successful sign-in stores an Argon2id hash. See docs/adr/0017.
/// </summary>
public sealed class Argon2idPasswordHasher : IPasswordHasher
{
    public const int MemoryKiB = 19_456;
    public const int Iterations = 2;
    public const int Parallelism = 1;

    private const string Prefix = "$argon2id$";
    private const int Version = 0x13; // 19, the RFC 9106 version (Argon2Parameters.Version13)
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // RFC 9106 §3.1 allows salts from 8 bytes (the reference implementation's vectors use 8); we write 16.
    private const int MinSaltBytes = 8;
    private const int MaxSaltBytes = 64;

    // Bounds on what a stored hash may ask for, so a corrupted or planted row cannot make one verification
    // allocate gigabytes or run for minutes (the cost is chosen by whoever wrote the row).
    private const int MaxMemoryKiB = 4 * MemoryKiB;
    private const int MaxIterations = 4 * Iterations;
    private const int MaxParallelism = 4;

    private static readonly string s_parameters = string.Create(CultureInfo.InvariantCulture, $"v={Version}$m={MemoryKiB},t={Iterations},p={Parallelism}");

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, MemoryKiB, Iterations, Parallelism);
        return $"{Prefix}{s_parameters}${Encode(salt)}${Encode(hash)}";
    }

    public PasswordVerification Verify(string passwordHash, string password)
    {
        if (Pbkdf2PasswordVerifier.IsPbkdf2(passwordHash))
        {
            return Pbkdf2PasswordVerifier.Verify(passwordHash, password) ? PasswordVerification.SuccessRehashNeeded : PasswordVerification.Failed;
        }

        if (!TryParse(passwordHash, out var memory, out var iterations, out var parallelism, out var salt, out var expected))
        {
            return PasswordVerification.Failed;
        }

        var actual = Derive(password, salt, memory, iterations, parallelism);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordVerification.Failed;
        }

        return (memory, iterations, parallelism) == (MemoryKiB, Iterations, Parallelism)
            ? PasswordVerification.Success
            : PasswordVerification.SuccessRehashNeeded;
    }

    /// <summary>Argon2id with the optional secret and associated data of RFC 9106 §3.1 (this server uses neither).</summary>
    internal static byte[] Derive(
        byte[] password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length, byte[]? secret = null, byte[]? associatedData = null)
    {
        var builder = new Argon2Parameters.Builder(Argon2Parameters.Argon2id)
            .WithVersion(Version)
            .WithMemoryAsKB(memoryKiB)
            .WithIterations(iterations)
            .WithParallelism(parallelism)
            .WithSalt(salt);
        if (secret is not null)
        {
            builder.WithSecret(secret);
        }

        if (associatedData is not null)
        {
            builder.WithAdditional(associatedData);
        }

        var generator = new Argon2BytesGenerator();
        generator.Init(builder.Build());
        var output = new byte[length];
        generator.GenerateBytes(password, output);
        return output;
    }

    private static byte[] Derive(string password, byte[] salt, int memoryKiB, int iterations, int parallelism)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return Derive(bytes, salt, memoryKiB, iterations, parallelism, HashBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Reads exactly what <see cref="Hash"/> writes, with parameters inside the bounds above; anything else
    /// (another version, extra or reordered parameters, a key id, padding, other lengths) is not a hash of ours.
    /// </summary>
    private static bool TryParse(string stored, out int memory, out int iterations, out int parallelism, out byte[] salt, out byte[] hash)
    {
        memory = iterations = parallelism = 0;
        salt = hash = [];
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = stored[Prefix.Length..].Split('$');
        if (parts.Length != 4 || parts[0] != string.Create(CultureInfo.InvariantCulture, $"v={Version}"))
        {
            return false;
        }

        var costs = parts[1].Split(',');
        return costs.Length == 3
            && TryReadCost(costs[0], "m=", 8, MaxMemoryKiB, out memory)
            && TryReadCost(costs[1], "t=", 1, MaxIterations, out iterations)
            && TryReadCost(costs[2], "p=", 1, MaxParallelism, out parallelism)
            && memory >= 8 * parallelism // RFC 9106 §3.1: at least 8p KiB
            && TryDecode(parts[2], MinSaltBytes, MaxSaltBytes, out salt)
            && TryDecode(parts[3], HashBytes, HashBytes, out hash);
    }

    private static bool TryReadCost(string text, string name, int min, int max, out int value)
    {
        value = 0;
        return text.StartsWith(name, StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(name.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max;
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    /// <summary>PHC strings use base64 without padding (so a length of 4n+1 characters is never valid).</summary>
    private static bool TryDecode(string text, int minLength, int maxLength, out byte[] bytes)
    {
        var length = text.Length * 3 / 4;
        bytes = new byte[length];
        return text.Length % 4 != 1 && length >= minLength && length <= maxLength
            && Convert.TryFromBase64String(text.PadRight((text.Length + 3) / 4 * 4, '='), bytes, out var written)
            && written == length;
    }
}
