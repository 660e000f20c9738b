using System.Security.Cryptography;
using AuthService.Infrastructure.Cryptography;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>
/// The server's own active private signing keys, decrypted from <c>signing_keys</c> with the fixed
/// key-encryption key the test servers run with. With them a test signs tokens that differ from a real
/// one in exactly one respect (an expired <c>exp</c>, a <c>crit</c> header, a duplicate claim), so each
/// validation rule is tested on its own rather than hidden behind a bad signature.
/// </summary>
public sealed class ServerSigningKeys : IDisposable
{
    private ServerSigningKeys(string es256Kid, ECDsa es256, string rs256Kid, RSA rs256)
    {
        Es256Kid = es256Kid;
        Es256 = es256;
        Rs256Kid = rs256Kid;
        Rs256 = rs256;
    }

    public string Es256Kid { get; }

    public ECDsa Es256 { get; }

    public string Rs256Kid { get; }

    public RSA Rs256 { get; }

    public static async Task<ServerSigningKeys> LoadAsync(TestDatabase database, string? keyEncryptionKey = null)
    {
        var rows = await database.QueryAsync("SELECT key_id, algorithm, protected_private_key FROM signing_keys WHERE state = 1 ORDER BY algorithm");
        using var kek = new KeyEncryptionKey(Convert.FromBase64String(keyEncryptionKey ?? TestClients.KeyEncryptionKey));
        string? esKid = null, rsKid = null;
        ECDsa? es = null;
        RSA? rs = null;
        foreach (var row in rows)
        {
            var (kid, algorithm) = ((string)row[0], (string)row[1]);
            var pkcs8 = kek.Unprotect((byte[])row[2], kid, algorithm);
            switch (algorithm)
            {
                case "ES256":
                    es = ECDsa.Create();
                    es.ImportPkcs8PrivateKey(pkcs8, out _);
                    esKid = kid;
                    break;
                case "RS256":
                    rs = RSA.Create();
                    rs.ImportPkcs8PrivateKey(pkcs8, out _);
                    rsKid = kid;
                    break;
            }
        }

        Assert.True(es is not null && rs is not null, "Expected one active ES256 and one active RS256 key.");
        return new ServerSigningKeys(esKid!, es, rsKid!, rs);
    }

    /// <summary>A compact JWS signed with the active ES256 key; <paramref name="payloadJson"/> is used verbatim.</summary>
    public string SignEs256(System.Text.Json.Nodes.JsonObject header, string payloadJson) =>
        SignEs256(header.ToJsonString(), payloadJson);

    /// <summary>As above, with the header JSON also used verbatim (e.g. with a member stated twice).</summary>
    public string SignEs256(string headerJson, string payloadJson) =>
        Jose.SignEs256(Jose.Encode(headerJson) + "." + Jose.Encode(payloadJson), Es256);

    public void Dispose()
    {
        Es256.Dispose();
        Rs256.Dispose();
    }
}
