using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Interfaces;
using AuthService.Infrastructure.Security;

namespace AuthService.Integration.Tests.Users;

/// <summary>
/// Argon2id password hashing (docs/adr/0017, OWASP ASVS 5.0 V11.4.2): known answers from RFC 9106 and from the
/// reference implementation, the PHC string it writes, and what it does with wrong passwords, tampered or
/// foreign stored values, other parameters and the PBKDF2 hashes of docs/adr/0010.
/// </summary>
public sealed class Argon2idPasswordHasherTests
{
    private const string Password = "correct horse battery staple";

    private static readonly Argon2idPasswordHasher Hasher = new();

    // RFC 9106 §5.3: Argon2id, version 0x13, m=32 KiB, t=3, p=4, password 32 x 0x01, salt 16 x 0x02,
    // secret 8 x 0x03, associated data 12 x 0x04, 32-byte tag.
    [Fact]
    public void Derive_matches_the_rfc_9106_argon2id_test_vector()
    {
        var tag = Argon2idPasswordHasher.Derive(
            password: Filled(32, 0x01), salt: Filled(16, 0x02), memoryKiB: 32, iterations: 3, parallelism: 4, length: 32,
            secret: Filled(8, 0x03), associatedData: Filled(12, 0x04));

        Assert.Equal("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659", Convert.ToHexStringLower(tag));
    }

    // PHC strings from the Argon2 reference implementation's tests (P-H-C/phc-winner-argon2, src/test.c):
    // password "password", salt "somesalt". They verify, and since their parameters are not ours, ask for a re-hash.
    [Theory]
    [InlineData("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")]
    [InlineData("$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")]
    public void A_reference_implementation_hash_verifies_and_asks_to_be_rehashed(string stored)
    {
        Assert.Equal(PasswordVerification.SuccessRehashNeeded, Hasher.Verify(stored, "password"));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(stored, "passwore"));
    }

    [Fact]
    public void A_new_hash_is_a_phc_string_with_todays_parameters_a_16_byte_salt_and_a_32_byte_output()
    {
        var stored = Hasher.Hash(Password);

        var parts = stored.Split('$');
        Assert.Equal(["", "argon2id", "v=19", "m=19456,t=2,p=1"], parts[..4]);
        Assert.Equal(6, parts.Length);
        Assert.Equal(16, FromUnpaddedBase64(parts[4]).Length);
        Assert.Equal(32, FromUnpaddedBase64(parts[5]).Length);
        Assert.DoesNotContain(Password, stored, StringComparison.Ordinal);
    }

    // The stored value is RFC 9106 Argon2id of the UTF-8 password under its own salt, recomputed here
    // through Derive with no secret and no associated data.
    [Fact]
    public void The_stored_hash_is_the_argon2id_derivation_of_the_utf8_password()
    {
        var parts = Hasher.Hash("pässwörd-ümlaut").Split('$');

        var expected = Argon2idPasswordHasher.Derive(Encoding.UTF8.GetBytes("pässwörd-ümlaut"), FromUnpaddedBase64(parts[4]),
            Argon2idPasswordHasher.MemoryKiB, Argon2idPasswordHasher.Iterations, Argon2idPasswordHasher.Parallelism, 32);
        Assert.Equal(expected, FromUnpaddedBase64(parts[5]));
    }

    [Fact]
    public void A_hash_verifies_its_password_and_nothing_else()
    {
        var stored = Hasher.Hash(Password);

        Assert.Equal(PasswordVerification.Success, Hasher.Verify(stored, Password));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(stored, Password + " "));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(stored, Password.ToUpperInvariant()));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(stored, ""));
    }

    [Fact]
    public void The_same_password_hashes_differently_each_time()
    {
        Assert.NotEqual(Hasher.Hash(Password), Hasher.Hash(Password));
    }

    // Parameters other than today's (weaker or stronger, within bounds) verify and converge on today's at the next sign-in.
    [Theory]
    [InlineData(8192, 2, 1)]
    [InlineData(19456, 1, 1)]
    [InlineData(47104, 1, 1)]
    [InlineData(19456, 3, 1)]
    [InlineData(19456, 2, 2)]
    public void A_hash_under_other_parameters_verifies_and_asks_to_be_rehashed(int memoryKiB, int iterations, int parallelism)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Argon2idPasswordHasher.Derive(Encoding.UTF8.GetBytes(Password), salt, memoryKiB, iterations, parallelism, 32);
        var stored = $"$argon2id$v=19$m={memoryKiB},t={iterations},p={parallelism}${ToUnpaddedBase64(salt)}${ToUnpaddedBase64(hash)}";

        Assert.Equal(PasswordVerification.SuccessRehashNeeded, Hasher.Verify(stored, Password));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(stored, "wrong-password-123"));
    }

    // docs/adr/0010's format: a correct password verifies and asks for an Argon2id hash, whatever its iteration count.
    [Theory]
    [InlineData(1_000)]
    [InlineData(210_000)]
    public void A_pbkdf2_hash_verifies_and_asks_to_be_rehashed(int iterations)
    {
        var stored = Pbkdf2Hash(Password, iterations);

        Assert.Equal(PasswordVerification.SuccessRehashNeeded, Hasher.Verify(stored, Password));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(stored, "wrong-password-123"));
    }

    public static TheoryData<string, string> TamperedHashes
    {
        get
        {
            var parts = Hasher.Hash(Password).Split('$');
            var (salt, hash) = (parts[4], parts[5]);
            var flipped = FromUnpaddedBase64(hash);
            flipped[0] ^= 1;
            const string Pbkdf2 = "$pbkdf2-sha512$i=";
            var (pbkdf2Salt, pbkdf2Hash) = (Convert.ToBase64String(new byte[16]), Convert.ToBase64String(new byte[32]));
            return new()
            {
                { "one bit of the hash", $"$argon2id$v=19$m=19456,t=2,p=1${salt}${ToUnpaddedBase64(flipped)}" },
                { "another salt", $"$argon2id$v=19$m=19456,t=2,p=1${ToUnpaddedBase64(new byte[16])}${hash}" },
                { "memory changed", $"$argon2id$v=19$m=19457,t=2,p=1${salt}${hash}" },
                { "iterations changed", $"$argon2id$v=19$m=19456,t=3,p=1${salt}${hash}" },
                { "argon2i", $"$argon2i$v=19$m=19456,t=2,p=1${salt}${hash}" },
                { "argon2d", $"$argon2d$v=19$m=19456,t=2,p=1${salt}${hash}" },
                { "version 0x10", $"$argon2id$v=16$m=19456,t=2,p=1${salt}${hash}" },
                { "no version", $"$argon2id$m=19456,t=2,p=1${salt}${hash}" },
                { "parameters reordered", $"$argon2id$v=19$t=2,m=19456,p=1${salt}${hash}" },
                { "unknown parameter", $"$argon2id$v=19$m=19456,t=2,p=1,x=1${salt}${hash}" },
                { "key id", $"$argon2id$v=19$m=19456,t=2,p=1,keyid=AAAA${salt}${hash}" },
                { "parameter missing", $"$argon2id$v=19$m=19456,t=2${salt}${hash}" },
                { "signed number", $"$argon2id$v=19$m=+19456,t=2,p=1${salt}${hash}" },
                { "memory overflow", $"$argon2id$v=19$m=99999999999,t=2,p=1${salt}${hash}" },
                { "memory beyond the bound", $"$argon2id$v=19$m=4194304,t=2,p=1${salt}${hash}" },
                { "iterations beyond the bound", $"$argon2id$v=19$m=19456,t=1000000,p=1${salt}${hash}" },
                { "parallelism beyond the bound", $"$argon2id$v=19$m=19456,t=2,p=255${salt}${hash}" },
                { "zero iterations", $"$argon2id$v=19$m=19456,t=0,p=1${salt}${hash}" },
                { "memory below 8p", $"$argon2id$v=19$m=8,t=2,p=2${salt}${hash}" },
                { "padded base64", $"$argon2id$v=19$m=19456,t=2,p=1${salt}==${hash}=" },
                { "salt not base64", $"$argon2id$v=19$m=19456,t=2,p=1$!!!!!!!!!!!!!!!!!!!!!!${hash}" },
                { "salt too short", $"$argon2id$v=19$m=19456,t=2,p=1${ToUnpaddedBase64(new byte[4])}${hash}" },
                { "hash too short", $"$argon2id$v=19$m=19456,t=2,p=1${salt}${hash[..22]}" },
                { "hash too long", $"$argon2id$v=19$m=19456,t=2,p=1${salt}${hash}AAAA" },
                { "impossible base64 length", $"$argon2id$v=19$m=19456,t=2,p=1${salt}${hash}AA" },
                { "missing hash", $"$argon2id$v=19$m=19456,t=2,p=1${salt}" },
                { "extra part", $"$argon2id$v=19$m=19456,t=2,p=1${salt}${hash}$x" },
                { "upper-case algorithm", $"$ARGON2ID$v=19$m=19456,t=2,p=1${salt}${hash}" },
                { "empty", "" },
                { "prefix only", "$argon2id$" },
                { "pbkdf2: prefix only", Pbkdf2 },
                { "pbkdf2: iterations not a number", Pbkdf2 + "abc$x$y" },
                { "pbkdf2: zero iterations", $"{Pbkdf2}0${pbkdf2Salt}${pbkdf2Hash}" },
                { "pbkdf2: negative iterations", $"{Pbkdf2}-5${pbkdf2Salt}${pbkdf2Hash}" },
                { "pbkdf2: iterations overflow", $"{Pbkdf2}99999999999${pbkdf2Salt}${pbkdf2Hash}" },
                { "pbkdf2: salt too short", $"{Pbkdf2}1000${Convert.ToBase64String(new byte[8])}${pbkdf2Hash}" },
                { "pbkdf2: hash too short", $"{Pbkdf2}1000${pbkdf2Salt}${Convert.ToBase64String(new byte[16])}" },
                { "pbkdf2: salt not base64", $"{Pbkdf2}1000$!!!!${pbkdf2Hash}" },
                { "pbkdf2: missing part", $"{Pbkdf2}1000${pbkdf2Salt}" },
                { "pbkdf2: extra part", $"{Pbkdf2}1000${pbkdf2Salt}${pbkdf2Hash}$x" },
                { "pbkdf2-sha256", $"$pbkdf2-sha256$i=1000${pbkdf2Salt}${pbkdf2Hash}" },
                { "ASP.NET Identity V3", "AQAAAAIAAYagAAAAEL5Pbn0f5rpo0ZjX5RyN1oPD4mAfa7zbyybd8GSE+VdOg7C6rUfLKv3gGbTbnRM0wQ==" },
            };
        }
    }

    // A tampered, foreign or corrupt stored value, in either format, is a failed sign-in, never an exception
    // (which could end as a 500).
    [Theory]
    [MemberData(nameof(TamperedHashes))]
    public void A_tampered_or_unknown_stored_hash_fails_without_throwing(string kind, string stored)
    {
        var result = Record.Exception(() => Assert.Equal(PasswordVerification.Failed, Hasher.Verify(stored, Password)));

        Assert.True(result is null, $"{kind}: {result}");
    }

    /// <summary>docs/adr/0010's format, written here from its definition.</summary>
    internal static string Pbkdf2Hash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var derived = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, 32);
        return $"$pbkdf2-sha512$i={iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(derived)}";
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private static string ToUnpaddedBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromUnpaddedBase64(string text) => Convert.FromBase64String(text.PadRight((text.Length + 3) / 4 * 4, '='));
}
