using System.Security.Cryptography;
using AuthService.Application.Common.Interfaces;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// Signs RFC 9068 JWT access tokens: header <c>typ: at+jwt</c> and the active key's <c>kid</c>; claims
/// <c>iss</c>, <c>sub</c>, <c>aud</c>, <c>client_id</c>, <c>scope</c>, <c>jti</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>,
/// <c>cnf</c> when the token is sender-constrained (RFC 9449 §6.1, RFC 8705 §3.1), and <c>fam</c> when it comes from a
/// refresh token family (docs/adr/0040).
/// </summary>
internal sealed class JwtAccessTokenIssuer(SigningKeyRing keyRing, IIssuerProvider issuer, IOptions<AuthServerOptions> options)
    : IAccessTokenIssuer
{
    public const string AccessTokenType = "at+jwt";

    public const string ConfirmationClaim = "cnf";

    public const string ActorClaim = "act";

    public const string MayActClaim = "may_act";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly string _algorithm = options.Value.AccessTokenSigningAlgorithm;

    public IssuedAccessToken Issue(AccessTokenDescriptor descriptor)
    {
        var credentials = keyRing.SigningCredentialsFor(descriptor.Algorithm ?? _algorithm);
        var jwtId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var expiresAt = descriptor.IssuedAt + descriptor.Lifetime;
        var claims = new Dictionary<string, object>(4, StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = descriptor.Subject,
            ["client_id"] = descriptor.ClientId,
            [JwtRegisteredClaimNames.Jti] = jwtId,
        };
        if (descriptor.Scopes.Count > 0)
        {
            claims["scope"] = string.Join(' ', descriptor.Scopes);
        }

        // RFC 9068 §3 / RFC 7519 §4.1.3: one audience is a string, several an array.
        if (descriptor.Audiences.Count > 1)
        {
            claims[JwtRegisteredClaimNames.Aud] = descriptor.Audiences;
        }

        if (descriptor.Confirmation is { IsEmpty: false } confirmation)
        {
            claims[ConfirmationClaim] = confirmation.ToClaim();
        }

        if (descriptor.Actor is { } actor)
        {
            claims[ActorClaim] = ActorObject(actor);
        }

        // RFC 9068 §2.2: further claims are allowed; the grant's tenant (docs/adr/0038) for resource servers to check.
        descriptor.Tenant?.AddTo(claims);
        if (descriptor.Family is { } family)
        {
            claims[AccessTokenDescriptor.FamilyClaim] = family;
        }

        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = AccessTokenType,
            Issuer = issuer.Issuer,
            Audience = descriptor.Audiences.Count > 1 ? null : descriptor.Audience,
            IssuedAt = descriptor.IssuedAt.UtcDateTime,
            NotBefore = descriptor.IssuedAt.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            Claims = claims,
            SigningCredentials = credentials,
        });
        return new IssuedAccessToken(token, jwtId, expiresAt, credentials.Key.KeyId);
    }

    /// <summary>RFC 8693 §4.1: <c>{"sub": …, "act": {…the prior actor…}}</c>, the current actor outermost.</summary>
    private static Dictionary<string, object> ActorObject(TokenActor actor)
    {
        var claim = new Dictionary<string, object>(2, StringComparer.Ordinal) { [JwtRegisteredClaimNames.Sub] = actor.Subject };
        if (actor.Prior is { } prior)
        {
            claim[ActorClaim] = ActorObject(prior);
        }

        return claim;
    }
}
