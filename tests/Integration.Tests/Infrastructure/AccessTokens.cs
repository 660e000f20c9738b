using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>Verifies access tokens the way a resource server would: against the published JWKS only.</summary>
public static class AccessTokens
{
    private static readonly JsonWebTokenHandler Handler = new();

    public static JsonWebToken Read(string token) => Handler.ReadJsonWebToken(token);

    /// <summary>Signature, issuer, audience, lifetime and <c>typ: at+jwt</c> (RFC 9068 §4), with the keys from <paramref name="jwksJson"/>.</summary>
    public static async Task<TokenValidationResult> ValidateAsync(string token, string jwksJson, string issuer, string audience)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKeys = new JsonWebKeySet(jwksJson).GetSigningKeys(),
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = ["ES256", "RS256"],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.Zero,
        };
        return await Handler.ValidateTokenAsync(token, parameters);
    }

    /// <summary>Asserts that <paramref name="token"/> verifies; the failure message carries the reason.</summary>
    public static async Task AssertValidAsync(string token, string jwksJson, string issuer, string audience)
    {
        var result = await ValidateAsync(token, jwksJson, issuer, audience);
        Assert.True(result.IsValid, $"The access token does not verify against the JWKS: {result.Exception}");
    }
}
