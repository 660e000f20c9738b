using System.Security.Cryptography;
using System.Text;
using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.Persistence;

/// <summary>
/// What the server writes to PostgreSQL: secrets only as hashes, private keys only encrypted
/// (ASVS 11.2, 13.3), and an idempotent seed.
/// </summary>
public sealed class PersistenceTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    /// <summary>DER of the AlgorithmIdentifier OIDs an unencrypted PKCS#8 key starts with.</summary>
    private static readonly byte[] EcPublicKeyOid = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
    private static readonly byte[] RsaEncryptionOid = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];

    public static TheoryData<string, string> SecretsOfClients => new()
    {
        { TestClients.C1, TestClients.C1Secret },
        { TestClients.CP, TestClients.CPSecret },
        { TestClients.CX, TestClients.CXSecret },
    };

    [Theory]
    [MemberData(nameof(SecretsOfClients))]
    public async Task Client_secrets_are_stored_as_hashes(string clientId, string secret)
    {
        var rows = await server.Database.QueryAsync("SELECT secret_hash FROM client_secrets WHERE client_id = @id", ("id", clientId));

        var hash = Assert.IsType<byte[]>(Assert.Single(rows)[0]);
        Assert.Equal(32, hash.Length);
        var plaintext = Encoding.UTF8.GetBytes(secret);
        Assert.False(hash.AsSpan().SequenceEqual(plaintext));
        Assert.True(hash.AsSpan().IndexOf(plaintext.AsSpan(0, 16)) < 0, "The stored hash contains the secret's bytes");
    }

    [Fact]
    public async Task A_public_client_has_no_secret_row()
    {
        Assert.Equal(0L, await server.Database.ScalarAsync<long>("SELECT count(*) FROM client_secrets WHERE client_id = 'P1'"));
    }

    [Fact]
    public async Task Private_signing_keys_are_stored_encrypted()
    {
        var rows = await server.Database.QueryAsync("SELECT algorithm, protected_private_key, key_encryption_key_id FROM signing_keys");

        Assert.Equal(["ES256", "EdDSA", "RS256"], rows.Select(r => (string)r[0]).Order(StringComparer.Ordinal));
        foreach (var row in rows)
        {
            var stored = (byte[])row[1];

            // Format version 1: AES-GCM, nonce, tag, ciphertext.
            Assert.Equal(1, stored[0]);
            Assert.True(stored.AsSpan().IndexOf(EcPublicKeyOid) < 0, $"{row[0]}: the stored key contains a plaintext PKCS#8 EC header");
            Assert.True(stored.AsSpan().IndexOf(RsaEncryptionOid) < 0, $"{row[0]}: the stored key contains a plaintext PKCS#8 RSA header");
            Assert.ThrowsAny<CryptographicException>(() => ECDsa.Create().ImportPkcs8PrivateKey(stored, out _));
            Assert.ThrowsAny<CryptographicException>(() => RSA.Create().ImportPkcs8PrivateKey(stored, out _));

            // The key-encryption key itself is never stored, only its fingerprint.
            var kekBytes = Convert.FromBase64String(TestClients.KeyEncryptionKey);
            Assert.True(stored.AsSpan().IndexOf(kekBytes) < 0);
            Assert.DoesNotContain(TestClients.KeyEncryptionKey, (string)row[2], StringComparison.Ordinal);
        }
    }

    // Applying the same seed again (a second replica, or a restart) changes nothing.
    [Fact]
    public async Task A_second_server_on_the_same_database_duplicates_nothing()
    {
        const string Snapshot = "SELECT client_id || '|' || version || '|' || updated_at::text FROM clients ORDER BY client_id";
        var clientsBefore = (await server.Database.QueryAsync(Snapshot)).Select(r => (string)r[0]).ToList();
        var keysBefore = (await server.Database.QueryAsync("SELECT key_id FROM signing_keys ORDER BY key_id")).Select(r => (string)r[0]).ToList();
        var token = (await OAuthAssert.TokenSuccessAsync(await server.Client.PostC1Async())).GetProperty("access_token").GetString()!;

        await using var second = new InProcessServer(server.Database, await File.ReadAllTextAsync(server.SeedFile));
        using var secondClient = second.Start();

        Assert.Equal(clientsBefore, (await server.Database.QueryAsync(Snapshot)).Select(r => (string)r[0]));
        Assert.Equal(6L, await server.Database.ScalarAsync<long>("SELECT count(*) FROM clients"));
        Assert.Equal(5L, await server.Database.ScalarAsync<long>("SELECT count(*) FROM client_secrets"));
        Assert.Equal(keysBefore, (await server.Database.QueryAsync("SELECT key_id FROM signing_keys ORDER BY key_id")).Select(r => (string)r[0]));
        Assert.Equal(["ES256:1", "EdDSA:1", "RS256:1"], await server.Database.ActiveKeysPerAlgorithmAsync());

        // Same keys, so a token from the first verifies with the second's JWKS.
        var jwks = await secondClient.GetStringAsync("/.well-known/jwks.json");
        await AccessTokens.AssertValidAsync(token, jwks, TestClients.Issuer, TestClients.Issuer);
    }
}
