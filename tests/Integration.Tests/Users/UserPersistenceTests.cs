using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AuthService.Application.Common.Interfaces;
using AuthService.Infrastructure.Security;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Users;

/// <summary>The standard clients and one seeded user, alice.</summary>
public sealed class UserSeedFixture : AuthServerFixture
{
    protected override string SeedJson => UserPersistenceTests.SeedWith(UserPersistenceTests.Alice(UserPersistenceTests.AlicePassword));
}

/// <summary>
/// Seeded users as PostgreSQL stores them (OWASP ASVS 5.0 V11.4.2): passwords only as Argon2id PHC strings
/// at no less than OWASP's minimum parameters (docs/adr/0017); a seed that is re-applied changes nothing, and
/// a changed password changes the hash and the security stamp.
/// </summary>
public sealed class UserPersistenceTests(UserSeedFixture server) : IClassFixture<UserSeedFixture>
{
    public const string AlicePassword = "alice-password-123";

    private static readonly Argon2idPasswordHasher Hasher = new();

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

    private static byte[] FromUnpaddedBase64(string text) => Convert.FromBase64String(text.PadRight((text.Length + 3) / 4 * 4, '='));

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

    // OWASP ASVS 5.0 V11.4.2: Argon2id at no less than the OWASP Password Storage Cheat Sheet's minimum
    // (m=19 MiB, t=2, p=1), 128-bit salt, 256-bit output, as a PHC string (docs/adr/0017).
    [Fact]
    public async Task The_password_is_stored_as_an_argon2id_phc_string_meeting_owasp()
    {
        var (hash, _) = await CredentialsOfAsync(server.Database, "ALICE");

        var parts = hash.Split('$');
        Assert.Equal(6, parts.Length);
        Assert.Equal(["", "argon2id", "v=19"], parts[..3]);
        var costs = parts[3].Split(',').Select(c => c.Split('=')).ToDictionary(c => c[0], c => int.Parse(c[1], NumberStyles.None, CultureInfo.InvariantCulture));
        Assert.Equal(["m", "t", "p"], costs.Keys);
        Assert.True(costs["m"] >= 19_456 && costs["t"] >= 2 && costs["p"] >= 1, $"{parts[3]} is below OWASP's minimum for Argon2id");
        var salt = FromUnpaddedBase64(parts[4]);
        Assert.Equal(16, salt.Length);
        Assert.Equal(32, FromUnpaddedBase64(parts[5]).Length);
        Assert.DoesNotContain(AlicePassword, hash, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(AlicePassword)), hash, StringComparison.Ordinal);

        // The stored value is the derivation itself: recompute it from its own salt and parameters.
        var expected = Argon2idPasswordHasher.Derive(Encoding.UTF8.GetBytes(AlicePassword), salt, costs["m"], costs["t"], costs["p"], 32);
        Assert.Equal(Convert.ToBase64String(expected).TrimEnd('='), parts[5]);
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
