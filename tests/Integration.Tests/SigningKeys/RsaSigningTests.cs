using AuthService.Integration.Tests.Infrastructure;

namespace AuthService.Integration.Tests.SigningKeys;

/// <summary>A server configured with <c>Auth:AccessTokenSigningAlgorithm=RS256</c>.</summary>
public sealed class RsaServerFixture : AuthServerFixture
{
    protected override IReadOnlyDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["Auth:AccessTokenSigningAlgorithm"] = "RS256",
    };
}

/// <summary>The RS256 key that the JWKS always publishes also signs, when configured to (RFC 9068 §2.1, ASVS 11.2.3).</summary>
public sealed class RsaSigningTests(RsaServerFixture server) : IClassFixture<RsaServerFixture>
{
    [Fact]
    public async Task Tokens_are_signed_with_the_published_rs256_key()
    {
        var body = await OAuthAssert.TokenSuccessAsync(await server.Client.PostC1Async());
        var accessToken = body.GetProperty("access_token").GetString()!;

        var jwt = AccessTokens.Read(accessToken);
        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal("at+jwt", jwt.Typ);

        var jwks = await server.Client.GetStringAsync("/.well-known/jwks.json");
        var rsaKey = Assert.Single(new Microsoft.IdentityModel.Tokens.JsonWebKeySet(jwks).Keys, k => k.Kty == "RSA");
        Assert.Equal(rsaKey.Kid, jwt.Kid);
        await AccessTokens.AssertValidAsync(accessToken, jwks, TestClients.Issuer, TestClients.Issuer);
    }
}
