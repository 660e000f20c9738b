using System.Text.Json;
using AuthService.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.SigningKeys;

/// <summary>
/// docs/adr/0040: new RS256 keys are 3072-bit by default (ASVS 5.0 11.2.3), <c>Auth:SigningKeys:RsaKeySize</c> (2048, 3072
/// or 4096) changes that, any other size stops the start, and a key made with another size keeps signing and verifying.
/// </summary>
public sealed class RsaKeySizeTests
{
    private const string Setting = "Auth:SigningKeys:RsaKeySize";

    [Theory]
    [InlineData(null, 3072)]
    [InlineData("2048", 2048)]
    [InlineData("4096", 4096)]
    public async Task New_rs256_keys_have_the_configured_modulus(string? configured, int bits)
    {
        await using var database = await TestDatabase.CreateAsync();
        // null: the server's own default (the test servers' 2048 removed).
        await using var server = new InProcessServer(database, TestClients.SeedJson(), overrides: new Dictionary<string, string?> { [Setting] = configured });
        using var client = server.Start();

        Assert.Equal(bits, RsaModulusBits(await client.GetJwksAsync()));
    }

    [Theory]
    [InlineData("1024")]
    [InlineData("2047")]
    [InlineData("8192")]
    public async Task Another_size_stops_the_start_and_names_the_setting(string configured)
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var server = new InProcessServer(database, TestClients.SeedJson(), overrides: new Dictionary<string, string?> { [Setting] = configured });

        var messages = await server.StartExpectingFailureAsync();
        Assert.Contains(Setting, messages, StringComparison.Ordinal);
    }

    // A deployment that made its keys with 2048 bits and then returns to the default: the restart keeps the key (no new
    // one is made before the rotation), and tokens signed with it verify against the JWKS.
    [Fact]
    public async Task A_key_made_with_another_size_keeps_signing_after_the_default_changes()
    {
        await using var database = await TestDatabase.CreateAsync();
        string before;
        await using (var first = new InProcessServer(database, TestClients.SeedJson(), overrides: new Dictionary<string, string?> { [Setting] = "2048" }))
        {
            using var client = first.Start();
            before = await client.GetJwksAsync();
        }

        await using var second = new InProcessServer(database, TestClients.SeedJson(), overrides: new Dictionary<string, string?>
        {
            ["Auth:AccessTokenSigningAlgorithm"] = "RS256",
            [Setting] = null, // back to the server's default, 3072
        });
        using var restarted = second.Start();
        var jwks = await restarted.GetJwksAsync();
        Assert.Equal(2048, RsaModulusBits(jwks));
        Assert.Equal(RsaKid(before), RsaKid(jwks));

        var token = await restarted.C1TokenAsync();
        Assert.Equal(RsaKid(jwks), AccessTokens.Read(token).Kid);
        await AccessTokens.AssertValidAsync(token, jwks, TestClients.Issuer, TestClients.Issuer);
    }

    private static JsonElement RsaKey(string jwks) =>
        Assert.Single(JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kty").GetString() == "RSA");

    private static string RsaKid(string jwks) => RsaKey(jwks).GetProperty("kid").GetString()!;

    private static int RsaModulusBits(string jwks) => Base64UrlEncoder.DecodeBytes(RsaKey(jwks).GetProperty("n").GetString()!).Length * 8;
}
