using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// Verifies the PBKDF2-HMAC-SHA512 hashes written before Argon2id (docs/adr/0010, superseded for new hashes by
/// docs/adr/0017): <c>$pbkdf2-sha512$i=ITERATIONS$SALT$HASH</c> (base64), 128-bit salt, 256-bit output. Nothing
/// writes this format any more; <see cref="Argon2idPasswordHasher"/> asks for a re-hash whenever one verifies.
/// </summary>
public static class Pbkdf2PasswordVerifier
{
    /// <summary>The ASVS 5.0 Appendix C minimum for PBKDF2-HMAC-SHA512, still the floor of <c>Auth:PasswordHashIterations</c>.</summary>
    public const int MinimumIterations = 210_000;

    private const string Prefix = "$pbkdf2-sha512$i=";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static bool IsPbkdf2(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Constant-time; a malformed stored value does not verify (and does not throw).</summary>
    public static bool Verify(string stored, string password)
    {
        if (!TryParse(stored, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (!IsPbkdf2(stored))
        {
            return false;
        }

        var parts = stored[Prefix.Length..].Split('$');
        try
        {
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1)
            {
                return false;
            }

            salt = Convert.FromBase64String(parts[1]);
            hash = Convert.FromBase64String(parts[2]);
            return salt.Length == SaltBytes && hash.Length == HashBytes;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
