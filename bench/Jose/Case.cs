using System.Security.Cryptography;
using System.Text.Json;
using Jose;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

/// <summary>
/// One key and algorithm, with the same RFC 9068 access token signed and validated by each library the
/// way the server does it (IdentityModel: JwtAccessTokenIssuer / JwtAccessTokenValidator).
/// </summary>
internal sealed class Case(string name, SecurityKey identityModelKey, AsymmetricAlgorithm joseKey, JwsAlgorithm joseAlgorithm)
{
    private const string Issuer = "https://auth.example.com";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };

    private readonly SigningCredentials _credentials = new(identityModelKey, joseAlgorithm.ToString());

    private readonly TokenValidationParameters _parameters = new()
    {
        ValidIssuer = Issuer,
        ValidateAudience = false,
        IssuerSigningKeys = [identityModelKey],
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = [joseAlgorithm.ToString()],
        RequireSignedTokens = true,
        ValidTypes = ["at+jwt"],
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = TimeSpan.Zero,
    };

    public string Name => name;

    public object IdentityModelSign()
    {
        var now = DateTime.UtcNow;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = Issuer,
            Audience = "https://api.example.com",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Claims = Claims(),
            SigningCredentials = _credentials,
        });
    }

    public string JoseSign()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = Claims();
        payload["iss"] = Issuer;
        payload["aud"] = "https://api.example.com";
        payload["iat"] = now;
        payload["nbf"] = now;
        payload["exp"] = now + 300;
        return JWT.Encode(payload, joseKey, joseAlgorithm, new Dictionary<string, object> { ["typ"] = "at+jwt", ["kid"] = identityModelKey.KeyId });
    }

    public bool IdentityModelValidate(object token) =>
        Handler.ValidateTokenAsync((string)token, _parameters).GetAwaiter().GetResult().IsValid;

    public bool JoseValidate(object token)
    {
        // jose-jwt verifies the signature and the expected alg only; typ, iss and the lifetime are the caller's.
        var headers = JWT.Headers((string)token);
        if (!headers.TryGetValue("typ", out var typ) || (string)typ != "at+jwt")
        {
            return false;
        }

        using var payload = JsonDocument.Parse(JWT.Verify((string)token, joseKey, joseAlgorithm));
        var root = payload.RootElement;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return root.GetProperty("iss").GetString() == Issuer && root.GetProperty("exp").GetInt64() > now;
    }

    private static Dictionary<string, object> Claims() => new(StringComparer.Ordinal)
    {
        ["sub"] = "service-account-1",
        ["client_id"] = "bench-client",
        ["jti"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
        ["scope"] = "bench.read bench.write",
    };
}
