using System.Security.Cryptography;
using System.Text;
using AuthService.Application.Common.Interfaces;
using AuthService.Domain.SigningKeys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Cryptography;

/// <summary>
/// Signs ID tokens (OIDC Core §2): header <c>typ: JWT</c> and the <c>kid</c> of the active key of the
/// client's algorithm; claims <c>iss</c>, <c>sub</c>, <c>aud</c> (the client), <c>exp</c>, <c>iat</c>,
/// <c>auth_time</c>, <c>nonce</c> when the request had one, <c>sid</c>, <c>at_hash</c> (§3.1.3.6:
/// the left half of the hash of the access token, with the hash of the signing algorithm), and <c>amr</c> (a JSON array
/// of RFC 8176 values) with the <c>acr</c> they reach when the sign-in recorded them; the tenant claims of docs/adr/0038
/// when the grant has them.
/// </summary>
internal sealed class JwtIdTokenIssuer(SigningKeyRing keyRing, IIssuerProvider issuer) : IIdTokenIssuer
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false, MapInboundClaims = false };

    public string Issue(IdTokenDescriptor descriptor)
    {
        var credentials = keyRing.SigningCredentialsFor(descriptor.Algorithm);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = descriptor.Subject,
            ["auth_time"] = descriptor.AuthTime.ToUnixTimeSeconds(),
            ["at_hash"] = AtHash(descriptor.AccessToken, descriptor.Algorithm),
        };
        if (descriptor.Nonce is not null)
        {
            claims[JwtRegisteredClaimNames.Nonce] = descriptor.Nonce;
        }

        if (descriptor.SessionId is not null)
        {
            claims["sid"] = descriptor.SessionId;
        }

        if (Domain.Sessions.AuthenticationMethods.AcrOf(descriptor.AuthenticationMethods) is { } acr)
        {
            claims["amr"] = descriptor.AuthenticationMethods.ToArray();
            claims["acr"] = acr;
        }

        descriptor.Tenant?.AddTo(claims);
        if (descriptor.Tenants is { } tenants)
        {
            claims[TenantClaims.TenantsClaim] = tenants.ToArray();
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "JWT",
            Issuer = issuer.Issuer,
            Audience = descriptor.ClientId,
            IssuedAt = descriptor.IssuedAt.UtcDateTime,
            Expires = (descriptor.IssuedAt + descriptor.Lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = credentials,
        });
    }

    /// <summary>The event member that makes a JWT a logout token (Back-Channel Logout 1.0 §2.4).</summary>
    public const string BackchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>
    /// Back-Channel Logout 1.0 §2.4: header <c>typ: logout+jwt</c> (so it is never taken for an ID or access token,
    /// §4.1); claims <c>iss</c>, <c>aud</c>, <c>iat</c>, <c>exp</c> (two minutes), <c>jti</c>, <c>events</c> with the
    /// back-channel logout member (an empty object), <c>sub</c> and <c>sid</c>; never a <c>nonce</c> (§2.4).
    /// </summary>
    public string IssueLogoutToken(LogoutTokenDescriptor descriptor) =>
        Handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "logout+jwt",
            Issuer = issuer.Issuer,
            Audience = descriptor.ClientId,
            IssuedAt = descriptor.IssuedAt.UtcDateTime,
            Expires = (descriptor.IssuedAt + TimeSpan.FromMinutes(2)).UtcDateTime,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = descriptor.Subject,
                ["sid"] = descriptor.SessionId,
                [JwtRegisteredClaimNames.Jti] = descriptor.TokenId,
                ["events"] = new Dictionary<string, object> { [BackchannelLogoutEvent] = new Dictionary<string, object>() },
            },
            SigningCredentials = keyRing.SigningCredentialsFor(descriptor.Algorithm),
        });

    public async ValueTask<IdTokenHint?> ReadHintAsync(string idToken, CancellationToken cancellationToken)
    {
        if (JwtAccessTokenValidator.ParseStrict(idToken) is not { } jwt || jwt.Typ is JwtAccessTokenIssuer.AccessTokenType or "application/at+jwt")
        {
            return null;
        }

        // An expired hint still names the session to end (OIDC RP-Initiated Logout 1.0 §2); the signature and issuer must hold.
        var result = await Handler.ValidateTokenAsync(jwt, JwtAccessTokenValidator.IssuedHere(issuer.Issuer, keyRing));
        if (!result.IsValid || string.IsNullOrEmpty(jwt.Subject) || jwt.Audiences.ToList() is not [var clientId]
            || !jwt.TryGetPayloadValue<string>("at_hash", out _))
        {
            return null;
        }

        jwt.TryGetPayloadValue<string>("sid", out var sessionId);
        return new IdTokenHint(jwt.Subject, clientId, sessionId) 
        {
            ExpiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), IssuedAt = new DateTimeOffset(jwt.IssuedAt, TimeSpan.Zero),
        };
    }

    /// <summary>
    /// OIDC Core §3.1.3.6: base64url of the left-most half of the hash of the ASCII access token, with the
    /// hash of the ID token's algorithm: SHA-256 for ES256 and RS256, SHA-512 for EdDSA with Ed25519 (the
    /// hash inside Ed25519, RFC 8032 §5.1, as OpenID relying-party libraries expect).
    /// </summary>
    internal static string AtHash(string accessToken, string algorithm)
    {
        var ascii = Encoding.ASCII.GetBytes(accessToken);
        var hash = algorithm == SigningAlgorithms.EdDSA ? SHA512.HashData(ascii) : SHA256.HashData(ascii);
        return Base64UrlEncoder.Encode(hash.AsSpan(0, hash.Length / 2).ToArray());
    }
}
