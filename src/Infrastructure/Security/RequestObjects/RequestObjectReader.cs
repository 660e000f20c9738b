using System.Globalization;
using System.Text.Json;
using AuthService.Application.Common.Interfaces;
using AuthService.Application.Common.Protocol;
using AuthService.Application.Resources;
using AuthService.Application.Common.Security;
using AuthService.Domain.Clients;
using AuthService.Infrastructure.Cryptography;
using AuthService.Infrastructure.Security.ClientKeys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthService.Infrastructure.Security.RequestObjects;

/// <summary>
/// Request objects by value (RFC 9101 §4, §5.1; RFC 9700 §2.1). Compact JWS only: an encrypted request object
/// (JWE, RFC 9101 §4 nested) is not supported and is refused like any other unreadable one. Checks, in order:
/// the strict parse shared with every JWT this server reads (no <c>jku</c>/<c>jwk</c>/<c>x5u</c>/<c>x5c</c>/<c>crit</c>/<c>zip</c>,
/// no duplicate members); <c>alg</c> an asymmetric algorithm (never <c>none</c>, never HMAC: a client's public RSA
/// key used as an HMAC secret is the classic confusion, CVE-2016-10555; EdDSA with an Ed25519 key, RFC 8037), and the registered
/// <c>request_object_signing_alg</c> when there is one; <c>typ</c> absent or <c>oauth-authz-req+jwt</c> (RFC 9101 §4);
/// the signature by a key the client registered; <c>iss</c> = client_id and <c>aud</c> = this issuer (§4, RFC 9700 §2.1
/// against cross-server replay); <c>client_id</c> = the client (§5); <c>exp</c> required, in the future, at most an hour
/// after <c>nbf</c> (or now); <c>nbf</c> and <c>iat</c> at most <see cref="ClientJwtTimes.ClockSkew"/> in the future (FAPI 2.0
/// Security Profile §5.3.2.1, the rule client assertions follow); <c>jti</c> used once across replicas. The claims other than the
/// JWT's own become the request's parameters; <c>request</c> and <c>request_uri</c> inside are refused (§4).
/// </summary>
internal sealed class RequestObjectReader(IClientKeyResolver keys, IReplayCache replayCache, IIssuerProvider issuer, TimeProvider clock)
    : IRequestObjectReader
{
    public const string RequestObjectType = "oauth-authz-req+jwt";

    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(60);

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>The JWT's own claims: checked here, never parameters of the authorization request.</summary>
    private static readonly HashSet<string> JwtClaims = new(StringComparer.Ordinal)
    {
        JwtRegisteredClaimNames.Iss, JwtRegisteredClaimNames.Aud, JwtRegisteredClaimNames.Exp, JwtRegisteredClaimNames.Nbf,
        JwtRegisteredClaimNames.Iat, JwtRegisteredClaimNames.Jti, JwtRegisteredClaimNames.Sub,
    };

    public async Task<ProtocolResult<IReadOnlyDictionary<string, string>>> ReadAsync(ClientSnapshot client, string requestObject, CancellationToken cancellationToken)
    {
        if (JwtAccessTokenValidator.ParseStrict(requestObject) is not { } jwt
            || !JwsAlgorithms.IsAsymmetric(jwt.Alg)
            || (client.RequestObjectSigningAlg is { } registered && !string.Equals(jwt.Alg, registered, StringComparison.Ordinal))
            || !IsRequestObjectType(jwt))
        {
            return OAuthError.RequestObjectInvalid;
        }

        var signingKeys = ClientVerificationKeys.From(await keys.ResolveAsync(client, jwt.Kid, cancellationToken));
        if (signingKeys.Count == 0)
        {
            return OAuthError.RequestObjectInvalid;
        }

        var now = clock.GetUtcNow();
        var result = await Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = signingKeys,
            TryAllIssuerSigningKeys = true,
            ValidAlgorithms = [jwt.Alg],
            RequireSignedTokens = true,
            ValidIssuer = client.ClientId,
            ValidAudience = issuer.Issuer,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = (notBefore, expires, _, _) => IsWithinLifetime(notBefore, expires, now),
            ValidateTokenReplay = false,
        });
        if (!result.IsValid || !ClientJwtTimes.IssuedAndValidFromNotAhead(jwt, now))
        {
            return OAuthError.RequestObjectInvalid;
        }

        var parameters = Parameters(jwt);
        if (parameters is null
            || !parameters.TryGetValue(OAuthParameters.ClientId, out var clientId) || !string.Equals(clientId, client.ClientId, StringComparison.Ordinal)
            || !jwt.TryGetPayloadValue<string>(JwtRegisteredClaimNames.Jti, out var jti) || string.IsNullOrEmpty(jti) || jti.Length > 200)
        {
            return OAuthError.RequestObjectInvalid;
        }

        // Single use across every replica until it expires (RFC 9101 §10.8 replay; FAPI 2.0 asks the same of PAR).
        var expiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        return await replayCache.TryUseAsync($"request_object:{client.ClientId}", jti, expiresAt, cancellationToken)
            ? parameters
            : OAuthError.RequestObjectInvalid;
    }

    /// <summary>RFC 9101 §4: <c>typ</c>, when present, is <c>oauth-authz-req+jwt</c> (media types compare without case).</summary>
    private static bool IsRequestObjectType(JsonWebToken jwt) =>
        !jwt.TryGetHeaderValue<object>(JwtHeaderParameterNames.Typ, out _)
        || jwt.Typ is { } typ && (string.Equals(typ, RequestObjectType, StringComparison.OrdinalIgnoreCase)
            || string.Equals(typ, "application/" + RequestObjectType, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// exp in the future (no leeway: the client chose it) and at most <see cref="MaxLifetime"/> after nbf (or now); how
    /// far ahead nbf may be is <see cref="ClientJwtTimes.IssuedAndValidFromNotAhead"/>'s rule, checked after the signature.
    /// </summary>
    private static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTimeOffset now)
    {
        if (expires is not { } exp)
        {
            return false;
        }

        var expiresAt = new DateTimeOffset(exp, TimeSpan.Zero);
        var from = notBefore is { } nbf ? new DateTimeOffset(nbf, TimeSpan.Zero) : now;
        return now < expiresAt && expiresAt - from <= MaxLifetime;
    }

    /// <summary>The request's parameters: string, number and boolean claims as their text; null when request or request_uri is inside.</summary>
    private static Dictionary<string, string>? Parameters(JsonWebToken jwt)
    {
        using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in payload.RootElement.EnumerateObject())
        {
            if (claim.Name is OAuthParameters.Request or OAuthParameters.RequestUri)
            {
                return null;
            }

            if (JwtClaims.Contains(claim.Name))
            {
                continue;
            }

            // Other structured members are parameters this server does not support: ignored, as in a query.
            var value = claim.Value.ValueKind switch
            {
                // OIDC Core §6.1: claims is a JSON object inside a request object; its JSON text is what the query would carry.
                JsonValueKind.Object when claim.Name == OAuthParameters.Claims => claim.Value.GetRawText(),
                // RFC 8707 §2: several resources, as a JSON array of strings; any other member makes the value unparseable.
                JsonValueKind.Array when claim.Name == OAuthParameters.Resource => ResourceIndicators.Join(
                    claim.Value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : "\t")),
                JsonValueKind.String when claim.Name == OAuthParameters.Resource => ResourceIndicators.Join([claim.Value.GetString()!]),
                JsonValueKind.String => claim.Value.GetString(),
                JsonValueKind.Number => claim.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            if (value is { Length: > 0 })
            {
                parameters[claim.Name] = value;
            }
        }

        return parameters;
    }
}
