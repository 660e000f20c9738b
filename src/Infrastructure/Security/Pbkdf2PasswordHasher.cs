using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Interfaces;
using Microsoft.Extensions.Options;

namespace AuthService.Infrastructure.Security;

/// <summary>
/// PBKDF2-HMAC-SHA512 with a 128-bit random salt and a 256-bit output, at
/// <c>Auth:PasswordHashIterations</c> (default 210,000: the ASVS 5.0 Appendix C minimum for SHA-512;
/// ASVS 11.4.2). Format: <c>$pbkdf2-sha512$i=ITERATIONS$SALT$HASH</c> (base64), so parameters can be
/// raised later: a hash with fewer iterations verifies and asks to be re-hashed. See docs/adr/0010.
/// </summary>
public sealed class Pbkdf2PasswordHasher(IOptions<AuthServerOptions> options) : IPasswordHasher
{
    public const int MinimumIterations = 210_000;

    private const string Prefix = "$pbkdf2-sha512$i=";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly int _iterations = Math.Max(MinimumIterations, options.Value.PasswordHashIterations);

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, _iterations);
        return $"{Prefix}{_iterations.ToString(CultureInfo.InvariantCulture)}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public PasswordVerification Verify(string passwordHash, string password)
    {
        if (!TryParse(passwordHash, out var iterations, out var salt, out var expected))
        {
            return PasswordVerification.Failed;
        }

        var actual = Derive(password, salt, iterations);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordVerification.Failed;
        }

        return iterations < _iterations ? PasswordVerification.SuccessRehashNeeded : PasswordVerification.Success;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
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
