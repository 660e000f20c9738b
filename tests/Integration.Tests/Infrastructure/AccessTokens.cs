using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Integration.Tests.Infrastructure;

/// <summary>Verifies access tokens the way a resource server would: against the published JWKS only.</summary>
public static class AccessTokens
{
    private static readonly JsonWebTokenHandler Handler = new();

    public static JsonWebToken Read(string token) => Handler.ReadJsonWebToken(token);

    /// <summary>Signature, issuer, audience, lifetime and <c>typ: at+jwt</c> (RFC 9068 §4), with the keys from <paramref name="jwksJson"/>.</summary>
    public static Task<TokenValidationResult> ValidateAsync(string token, string jwksJson, string issuer, string audience) =>
        ValidateAsync(token, jwksJson, issuer, audience, now: null);

    /// <summary>
    /// As above, with the lifetime checked at <paramref name="now"/> instead of the real time: for servers
    /// running on a <see cref="FakeTimeProvider"/>, whose tokens carry that clock's <c>iat</c> and <c>exp</c>.
    /// </summary>
    public static async Task<TokenValidationResult> ValidateAsync(string token, string jwksJson, string issuer, string audience, DateTimeOffset? now)
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
        if (now is { } instant)
        {
            parameters.LifetimeValidator = (notBefore, expires, _, _) =>
                expires is { } exp && instant < new DateTimeOffset(exp, TimeSpan.Zero)
                && (notBefore is not { } nbf || new DateTimeOffset(nbf, TimeSpan.Zero) <= instant);
        }

        return await Handler.ValidateTokenAsync(token, parameters);
    }

    /// <summary>Asserts that <paramref name="token"/> verifies; the failure message carries the reason.</summary>
    public static Task AssertValidAsync(string token, string jwksJson, string issuer, string audience) =>
        AssertValidAsync(token, jwksJson, issuer, audience, now: null);

    /// <summary>As above, with the lifetime checked at <paramref name="now"/> (a test clock's time).</summary>
    public static async Task AssertValidAsync(string token, string jwksJson, string issuer, string audience, DateTimeOffset? now)
    {
        var result = await ValidateAsync(token, jwksJson, issuer, audience, now);
        Assert.True(result.IsValid, $"The access token does not verify against the JWKS: {result.Exception}");
    }
}
