using System.Security.Cryptography;
using AuthService.Domain.Federation;
using AuthService.Integration.Tests.Federation.Upstreams;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.Federation;

/// <summary>
/// The client secret presented to a token endpoint (<c>UpstreamClientSecret</c>): Apple's is an ES256 JWT made per request
/// from the stored PKCS#8 key (Sign in with Apple REST API, "Creating a client secret"); any other provider's is the stored
/// secret, decrypted.
/// </summary>
public sealed class AppleClientSecretTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));
    private readonly UpstreamProtocolHost _host;

    public AppleClientSecretTests() => _host = new UpstreamProtocolHost(_clock);

    [Fact]
    public async Task Apples_client_secret_is_an_ES256_JWT_of_the_team_for_the_services_id_signed_with_the_stored_key()
    {
        using var teamKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var apple = Apple(teamKey.ExportPkcs8PrivateKeyPem());

        var secret = await _host.ClientSecret.ForTokenRequestAsync(apple, CancellationToken.None);

        var jwt = new JsonWebToken(secret!);
        Assert.Equal(("ES256", "KEY1234567"), (jwt.Alg, jwt.Kid));
        Assert.Equal(("TEAM123456", "com.example.signin", "https://appleid.apple.com"), (jwt.Issuer, jwt.Subject, Assert.Single(jwt.Audiences)));
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("iat"));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), jwt.GetPayloadValue<long>("exp"));

        using var publicKey = ECDsa.Create(teamKey.ExportParameters(false));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(secret, new TokenValidationParameters
        {
            ValidIssuer = "TEAM123456",
            ValidAudience = "https://appleid.apple.com",
            IssuerSigningKey = new ECDsaSecurityKey(publicKey),
            ValidAlgorithms = ["ES256"],
            LifetimeValidator = (_, expires, _, _) => expires > _clock.GetUtcNow().UtcDateTime,
        });
        Assert.True(result.IsValid, result.Exception?.Message);

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = await new JsonWebTokenHandler().ValidateTokenAsync(secret, new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            IssuerSigningKey = new ECDsaSecurityKey(otherKey),
        });
        Assert.False(forged.IsValid);
    }

    [Fact]
    public async Task A_stored_key_that_is_not_a_P256_key_is_refused_not_used()
    {
        using var rsa = RSA.Create(2048);

        await Assert.ThrowsAnyAsync<CryptographicException>(() => _host.ClientSecret.ForTokenRequestAsync(Apple(rsa.ExportPkcs8PrivateKeyPem()), CancellationToken.None));
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => _host.ClientSecret.ForTokenRequestAsync(Apple(p384.ExportPkcs8PrivateKeyPem()), CancellationToken.None));
    }

    [Fact]
    public async Task Any_other_provider_presents_its_stored_secret_and_none_without_one()
    {
        var google = _host.Provider("google", new ExternalProviderSettings("Google", "client.apps.googleusercontent.com", Preset: ExternalProviderPresets.Google), "google-secret-0123");
        var publicClient = _host.Provider("public", new ExternalProviderSettings("Public", "public-client", Issuer: "https://idp.example"), null);

        Assert.Equal("google-secret-0123", await _host.ClientSecret.ForTokenRequestAsync(google, CancellationToken.None));
        Assert.Null(await _host.ClientSecret.ForTokenRequestAsync(publicClient, CancellationToken.None));
    }

    public void Dispose() => _host.Dispose();

    private ExternalProvider Apple(string pem) =>
        _host.Provider("apple", new ExternalProviderSettings("Apple", "com.example.signin", Preset: ExternalProviderPresets.Apple,
            AppleTeamId: "TEAM123456", AppleKeyId: "KEY1234567"), pem);
}
