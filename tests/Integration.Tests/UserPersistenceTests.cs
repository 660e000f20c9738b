using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AuthService.Application.Common.Interfaces;
using AuthService.Infrastructure;
using AuthService.Infrastructure.Security;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace AuthService.Integration.Tests;

/// <summary>The standard clients and one seeded user, alice.</summary>
public sealed class UserSeedFixture : AuthServerFixture
{
    protected override string SeedJson => UserPersistenceTests.SeedWith(UserPersistenceTests.Alice(UserPersistenceTests.AlicePassword));
}

/// <summary>
/// Seeded users as PostgreSQL stores them (ASVS 11.4.2): passwords only as
/// PBKDF2-HMAC-SHA512 hashes at no fewer than 210,000 iterations, in a format whose parameters can be
/// raised; a seed that is re-applied changes nothing, and a changed password changes the hash and the
/// security stamp.
/// </summary>
public sealed class UserPersistenceTests(UserSeedFixture server) : IClassFixture<UserSeedFixture>
{
    public const string AlicePassword = "alice-password-123";

    private const string Prefix = "$pbkdf2-sha512$i=";

    private static readonly Pbkdf2PasswordHasher Hasher = new(Options.Create(new AuthServerOptions()));

    public static JsonObject Alice(string password, string username = "alice", string email = "alice@example.com") => new()
    {
        ["username"] = username,
        ["email"] = email,
        ["email_verified"] = true,
        ["name"] = "Alice",
        ["password"] = password,
    };

    /// <summary>The standard clients plus <paramref name="users"/>.</summary>
    public static string SeedWith(params JsonObject[] users)
    {
        var seed = TestClients.SeedDocument();
        seed["users"] = new JsonArray([.. users]);
        return seed.ToJsonString();
    }

    private static async Task<(string Hash, string Stamp)> CredentialsOfAsync(TestDatabase database, string normalizedUsername)
    {
        var row = Assert.Single(await database.QueryAsync(
            "SELECT password_hash, security_stamp FROM users WHERE normalized_username = @name", ("name", normalizedUsername)));
        return ((string)row[0], (string)row[1]);
    }

    [Fact]
    public async Task The_seeded_user_is_stored_with_normalized_names()
    {
        var row = Assert.Single(await server.Database.QueryAsync(
            "SELECT username, normalized_username, email, normalized_email, security_stamp FROM users"));

        Assert.Equal("alice", row[0]);
        Assert.Equal("ALICE", row[1]);
        Assert.Equal("alice@example.com", row[2]);
        Assert.Equal("ALICE@EXAMPLE.COM", row[3]);
        Assert.False(string.IsNullOrWhiteSpace((string)row[4]), "A user needs a security stamp.");
    }

    // ASVS 11.4.2: PBKDF2-HMAC-SHA512, at least 210,000 iterations, 128-bit salt, 256-bit output.
    [Fact]
    public async Task The_password_is_stored_as_a_pbkdf2_sha512_hash_meeting_asvs()
    {
        var (hash, _) = await CredentialsOfAsync(server.Database, "ALICE");

        Assert.StartsWith(Prefix, hash, StringComparison.Ordinal);
        var parts = hash[Prefix.Length..].Split('$');
        Assert.Equal(3, parts.Length);
        var iterations = int.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.True(iterations >= 210_000, $"{iterations} iterations is below the ASVS Appendix C minimum for PBKDF2-HMAC-SHA512");
        Assert.Equal(16, Convert.FromBase64String(parts[1]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[2]).Length);
        Assert.DoesNotContain(AlicePassword, hash, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(AlicePassword)), hash, StringComparison.Ordinal);

        // The stored value is the derivation itself: recompute it from its own salt and count.
        var expected = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(AlicePassword), Convert.FromBase64String(parts[1]), iterations, HashAlgorithmName.SHA512, 32);
        Assert.Equal(Convert.ToBase64String(expected), parts[2]);
    }

    [Fact]
    public async Task The_stored_hash_verifies_the_password_and_nothing_else()
    {
        var (hash, _) = await CredentialsOfAsync(server.Database, "ALICE");

        Assert.Equal(PasswordVerification.Success, Hasher.Verify(hash, AlicePassword));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(hash, "alice-password-124"));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(hash, "ALICE-PASSWORD-123"));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(hash, ""));
    }

    // ASVS 11.4.2 "legacy hashes are re-hashed": a correct password under old parameters asks for a new hash.
    [Fact]
    public void A_hash_with_fewer_iterations_verifies_and_asks_to_be_rehashed()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var derived = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(AlicePassword), salt, 1000, HashAlgorithmName.SHA512, 32);
        var legacy = $"{Prefix}1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(derived)}";

        Assert.Equal(PasswordVerification.SuccessRehashNeeded, Hasher.Verify(legacy, AlicePassword));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(legacy, "wrong-password-123"));
    }

    public static TheoryData<string, string> MalformedHashes
    {
        get
        {
            var salt = Convert.ToBase64String(new byte[16]);
            var hash = Convert.ToBase64String(new byte[32]);
            return new()
            {
                { "empty", "" },
                { "prefix only", Prefix },
                { "iterations not a number", Prefix + "abc$x$y" },
                { "zero iterations", $"{Prefix}0${salt}${hash}" },
                { "negative iterations", $"{Prefix}-5${salt}${hash}" },
                { "iterations overflow", $"{Prefix}99999999999${salt}${hash}" },
                { "salt too short", $"{Prefix}1000${Convert.ToBase64String(new byte[8])}${hash}" },
                { "hash too short", $"{Prefix}1000${salt}${Convert.ToBase64String(new byte[16])}" },
                { "salt not base64", $"{Prefix}1000$!!!!${hash}" },
                { "missing part", $"{Prefix}1000${salt}" },
                { "extra part", $"{Prefix}1000${salt}${hash}$x" },
                { "other algorithm", $"$pbkdf2-sha256$i=1000${salt}${hash}" },
                { "ASP.NET Identity V3", "AQAAAAIAAYagAAAAEL5Pbn0f5rpo0ZjX5RyN1oPD4mAfa7zbyybd8GSE+VdOg7C6rUfLKv3gGbTbnRM0wQ==" },
            };
        }
    }

    // A corrupt stored value is a failed sign-in, never an exception.
    [Theory]
    [MemberData(nameof(MalformedHashes))]
    public void A_malformed_stored_hash_fails_without_throwing(string kind, string stored)
    {
        var result = Record.Exception(() => Assert.Equal(PasswordVerification.Failed, Hasher.Verify(stored, AlicePassword)));

        Assert.True(result is null, $"{kind}: {result}");
    }

    // Re-applying the same seed (a restart, a second replica) leaves the credentials alone; a changed
    // password in the seed replaces the hash and the security stamp (sessions bound to it end).
    [Fact]
    public async Task Reseeding_keeps_the_credentials_and_a_changed_password_replaces_hash_and_stamp()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var first = new InProcessServer(database, SeedWith(Alice(AlicePassword))))
        {
            using var client = first.Start();
        }

        var (hash, stamp) = await CredentialsOfAsync(database, "ALICE");

        await using (var second = new InProcessServer(database, SeedWith(Alice(AlicePassword))))
        {
            using var client = second.Start();
        }

        Assert.Equal((hash, stamp), await CredentialsOfAsync(database, "ALICE"));

        const string NewPassword = "alice-new-password-456";
        await using (var third = new InProcessServer(database, SeedWith(Alice(NewPassword))))
        {
            using var client = third.Start();
        }

        var (newHash, newStamp) = await CredentialsOfAsync(database, "ALICE");
        Assert.NotEqual(hash, newHash);
        Assert.NotEqual(stamp, newStamp);
        Assert.Equal(PasswordVerification.Success, Hasher.Verify(newHash, NewPassword));
        Assert.Equal(PasswordVerification.Failed, Hasher.Verify(newHash, AlicePassword));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM users"));
    }

    // Usernames and e-mail addresses are unique in normalized form (NFKC, upper-case): "alice" and
    // "ALICE", or a full-width look-alike, cannot both be declared. The start fails, and writes nothing.
    [Theory]
    [InlineData("alice", "ALICE", "alice2@example.com")]
    [InlineData("alice", "\uFF41\uFF4C\uFF49\uFF43\uFF45", "alice2@example.com")]
    [InlineData("andr\u00E9", "andre\u0301", "alice2@example.com")]
    [InlineData("alice", "bob", "ALICE@EXAMPLE.COM")]
    public async Task Two_users_with_the_same_normalized_name_or_email_stop_the_start(string username, string otherUsername, string otherEmail)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var duplicate = new InProcessServer(database, SeedWith(
            Alice(AlicePassword, username: username),
            Alice("other-password-789", username: otherUsername, email: otherEmail)));

        var messages = await duplicate.StartExpectingFailureAsync();
        Assert.True(messages.Contains("users", StringComparison.Ordinal), $"The error does not name the users: {messages}");
        Assert.DoesNotContain(AlicePassword, messages, StringComparison.Ordinal);
        Assert.DoesNotContain("other-password-789", messages, StringComparison.Ordinal);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM users"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM clients"));
    }
}
